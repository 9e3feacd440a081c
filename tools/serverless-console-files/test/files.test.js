'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test } = require('node:test');
const { cacheControlOf, contentTypeOf, keysUnder, settingsDocument, staleKeys, uploadsOf } = require('../files');

const { SETTINGS } = require('../test-support/settings');

function folderWith(files) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'console-files-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), content);
  }
  return folder;
}

test('each file gets the type its extension names, and an unknown extension stops the deploy', () => {
  assert.equal(contentTypeOf('index.html'), 'text/html; charset=utf-8');
  assert.equal(contentTypeOf('js/views/orders.js'), 'text/javascript; charset=utf-8');
  assert.equal(contentTypeOf('styles.CSS'), 'text/css; charset=utf-8');
  assert.equal(contentTypeOf('favicon.svg'), 'image/svg+xml');
  assert.equal(contentTypeOf('settings.json'), 'application/json');
  assert.throws(() => contentTypeOf('notes.docx'), /no content type/);
  assert.throws(() => contentTypeOf('LICENSE'), /no content type/);
});

test('only names that carry a content hash are cached for long; the rest revalidate', () => {
  assert.equal(cacheControlOf('index.html'), 'no-cache');
  assert.equal(cacheControlOf('js/app.js'), 'no-cache');
  assert.equal(cacheControlOf('styles.css'), 'no-cache');
  assert.equal(cacheControlOf('js/app.3f9a1c2e.js'), 'public, max-age=31536000, immutable');
  assert.equal(cacheControlOf('assets/logo-0123abcd89.svg'), 'public, max-age=31536000, immutable');
  assert.equal(cacheControlOf('js/cafe.js'), 'no-cache');
});

test('the settings document holds exactly the six settings, none empty', () => {
  assert.deepEqual(JSON.parse(settingsDocument(SETTINGS)), SETTINGS);
  assert.throws(() => settingsDocument({ ...SETTINGS, clientId: '' }), /without a value: clientId/);
  assert.throws(() => settingsDocument({ ...SETTINGS, secret: 'x' }), /exactly/);
  const { region, ...withoutRegion } = SETTINGS;
  assert.throws(() => settingsDocument(withoutRegion), /exactly/);
  assert.throws(() => settingsDocument(undefined), /got none/);
});

test('the uploads are every file under the folder, then the settings, with their types and caching', () => {
  const folder = folderWith({ 'index.html': '<!doctype html>', 'js/app.js': 'export {}', 'js/views/cart.js': '', '.DS_Store': 'x', 'favicon.svg': '<svg/>' });
  assert.deepEqual(keysUnder(folder), ['favicon.svg', 'index.html', 'js/app.js', 'js/views/cart.js']);
  const uploads = uploadsOf(folder, SETTINGS);
  assert.deepEqual(
    uploads.map(({ Key, ContentType, CacheControl }) => [Key, ContentType, CacheControl]),
    [
      ['favicon.svg', 'image/svg+xml', 'no-cache'],
      ['index.html', 'text/html; charset=utf-8', 'no-cache'],
      ['js/app.js', 'text/javascript; charset=utf-8', 'no-cache'],
      ['js/views/cart.js', 'text/javascript; charset=utf-8', 'no-cache'],
      ['settings.json', 'application/json', 'no-cache'],
    ]
  );
  assert.equal(uploads[1].Body.toString(), '<!doctype html>');
  assert.deepEqual(JSON.parse(uploads.at(-1).Body), SETTINGS);
});

test('a folder without index.html, or with a settings file of its own, is refused', () => {
  assert.throws(() => uploadsOf(folderWith({ 'app.js': '' }), SETTINGS), /no index.html/);
  assert.throws(() => uploadsOf(folderWith({ 'index.html': '', 'settings.json': '{}' }), SETTINGS), /replaced at deploy time/);
});

test('what the bucket holds and this deploy did not put is stale', () => {
  const uploads = [{ Key: 'index.html' }, { Key: 'settings.json' }];
  assert.deepEqual(staleKeys(['settings.json', 'old.js', 'index.html', 'a/gone.css'], uploads), ['a/gone.css', 'old.js']);
  assert.deepEqual(staleKeys([], uploads), []);
});
