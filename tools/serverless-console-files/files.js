'use strict';

// What the plugin uploads, decided without AWS: each file's key, type and caching, the
// settings document, and what a deploy leaves behind.
const fs = require('node:fs');
const path = require('node:path');

const SETTINGS_KEY = 'settings.json';
const SETTINGS_FIELDS = ['apiBaseUrl', 'region', 'cognitoEndpoint', 'userPoolId', 'clientId', 'currency'];

// A file the browser gets with the wrong type is refused under `nosniff`: unknown
// extensions stop the deploy instead of being served as application/octet-stream.
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

// A name that carries its content's hash (app.3f9a1c2e.js) never changes content, so a
// browser may keep it a year. Every other file is revalidated on each use (a cheap 304),
// so a deploy shows at once: index.html and settings.json above all.
const FINGERPRINTED = /[.-][0-9a-f]{8,}\.[a-z0-9]+$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

// Only these are invalidated: every other file is either fingerprinted or revalidated.
const INVALIDATED_PATHS = ['/index.html', `/${SETTINGS_KEY}`];

function contentTypeOf(key) {
  const type = CONTENT_TYPES[path.posix.extname(key).toLowerCase()];
  if (!type) throw new Error(`${key}: no content type known for this extension`);
  return type;
}

function cacheControlOf(key) {
  return FINGERPRINTED.test(key) && key !== 'index.html' ? IMMUTABLE : REVALIDATE;
}

// Every file under `folder`, as bucket keys ('js/app.js'), sorted; dotfiles stay home.
function keysUnder(folder) {
  return fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((key) => !key.split('/').some((part) => part.startsWith('.')))
    .sort();
}

function settingsDocument(settings) {
  const fields = Object.keys(settings ?? {}).sort();
  if (fields.join() !== [...SETTINGS_FIELDS].sort().join()) {
    throw new Error(`settings must have exactly ${SETTINGS_FIELDS.join(', ')}; got ${fields.join(', ') || 'none'}`);
  }
  const empty = SETTINGS_FIELDS.filter((field) => typeof settings[field] !== 'string' || settings[field] === '');
  if (empty.length) throw new Error(`settings without a value: ${empty.join(', ')}`);
  return JSON.stringify(Object.fromEntries(SETTINGS_FIELDS.map((field) => [field, settings[field]])), null, 2) + '\n';
}

// The objects a deploy puts: the folder's files, then the settings document.
function uploadsOf(folder, settings) {
  const keys = keysUnder(folder);
  if (!keys.includes('index.html')) throw new Error(`${folder} has no index.html`);
  // The deployed settings come from the stacks' outputs only, never from a file in the folder.
  if (keys.includes(SETTINGS_KEY)) throw new Error(`${folder}/${SETTINGS_KEY} would be replaced at deploy time: remove it`);
  const files = keys.map((key) => ({
    Key: key,
    Body: fs.readFileSync(path.join(folder, ...key.split('/'))),
    ContentType: contentTypeOf(key),
    CacheControl: cacheControlOf(key),
  }));
  const document = { Key: SETTINGS_KEY, Body: settingsDocument(settings), ContentType: contentTypeOf(SETTINGS_KEY), CacheControl: REVALIDATE };
  return [...files, document];
}

// What the bucket holds that this deploy did not put (the bucket's versions keep it 30 days).
function staleKeys(existing, uploads) {
  const kept = new Set(uploads.map((upload) => upload.Key));
  return existing.filter((key) => !kept.has(key)).sort();
}

module.exports = { INVALIDATED_PATHS, SETTINGS_FIELDS, cacheControlOf, contentTypeOf, keysUnder, settingsDocument, staleKeys, uploadsOf };
