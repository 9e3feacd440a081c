'use strict';

// The plugin's whole publish step against recording fakes of CloudFormation, S3 and CloudFront.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test } = require('node:test');
const ConsoleFilesPlugin = require('..');

const { SETTINGS } = require('../test-support/settings');

class FakeClient {
  constructor(answers = {}) {
    this.answers = answers;
    this.sent = [];
  }

  async send(command) {
    this.sent.push([command.constructor.name, command.input]);
    const answer = this.answers[command.constructor.name];
    return typeof answer === 'function' ? answer(command.input) : answer ?? {};
  }
}

function pluginFor(serviceDir, { outputs, existing }) {
  class ServerlessError extends Error {}
  const serverless = {
    serviceDir,
    service: { custom: { consoleFiles: { folder: 'public', settings: SETTINGS } } },
    classes: { Error: ServerlessError },
    getProvider: () => ({ naming: { getStackName: () => 'pedidos-web-prod' } }),
  };
  const logged = [];
  const plugin = new ConsoleFilesPlugin(serverless, {}, { log: { info: (line) => logged.push(line) } });
  const fakes = {
    cloudFormation: new FakeClient({ DescribeStacksCommand: { Stacks: [{ Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })) }] } }),
    s3: new FakeClient({ ListObjectsV2Command: { Contents: existing.map((Key) => ({ Key })), IsTruncated: false } }),
    cloudFront: new FakeClient(),
  };
  plugin.clients = async () => fakes;
  return { plugin, fakes, logged, ServerlessError };
}

function serviceWith(files) {
  const serviceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-service-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(serviceDir, 'public', name)), { recursive: true });
    fs.writeFileSync(path.join(serviceDir, 'public', name), content);
  }
  return serviceDir;
}

test('runs after the deploy, and before the stack is removed', () => {
  const { plugin } = pluginFor(serviceWith({ 'index.html': '' }), { outputs: {}, existing: [] });
  assert.deepEqual(Object.keys(plugin.hooks), ['after:deploy:deploy', 'before:remove:remove']);
});

test('a deploy puts every file and the settings, removes what is gone, then invalidates index.html and settings.json', async () => {
  const serviceDir = serviceWith({ 'index.html': '<!doctype html>', 'js/app.js': 'export {}' });
  const { plugin, fakes, logged } = pluginFor(serviceDir, {
    outputs: { ConsoleBucketName: 'console-bucket', DistributionId: 'E123EXAMPLE' },
    existing: ['index.html', 'js/app.js', 'js/old.js', 'settings.json'],
  });
  await plugin.publish();

  assert.deepEqual(fakes.cloudFormation.sent, [['DescribeStacksCommand', { StackName: 'pedidos-web-prod' }]]);
  const puts = fakes.s3.sent.filter(([name]) => name === 'PutObjectCommand').map(([, input]) => input);
  assert.deepEqual(puts.map(({ Bucket, Key, ContentType, CacheControl }) => [Bucket, Key, ContentType, CacheControl]), [
    ['console-bucket', 'index.html', 'text/html; charset=utf-8', 'no-cache'],
    ['console-bucket', 'js/app.js', 'text/javascript; charset=utf-8', 'no-cache'],
    ['console-bucket', 'settings.json', 'application/json', 'no-cache'],
  ]);
  assert.deepEqual(JSON.parse(puts[2].Body), SETTINGS);
  const deletes = fakes.s3.sent.filter(([name]) => name === 'DeleteObjectsCommand').map(([, input]) => input);
  assert.deepEqual(deletes, [{ Bucket: 'console-bucket', Delete: { Objects: [{ Key: 'js/old.js' }], Quiet: true } }]);
  // Deletes come after every put: a browser never finds a file missing that index.html names.
  const order = fakes.s3.sent.map(([name]) => name);
  assert.ok(order.lastIndexOf('PutObjectCommand') < order.indexOf('DeleteObjectsCommand'));

  const [[name, invalidation]] = fakes.cloudFront.sent;
  assert.equal(name, 'CreateInvalidationCommand');
  assert.equal(invalidation.DistributionId, 'E123EXAMPLE');
  assert.deepEqual(invalidation.InvalidationBatch.Paths, { Quantity: 2, Items: ['/index.html', '/settings.json'] });
  assert.match(invalidation.InvalidationBatch.CallerReference, /^pedidos-console-\d+$/);
  assert.match(logged.join('\n'), /Uploaded 3 console files to console-bucket \(1 removed\)/);
});

test('nothing is uploaded when the settings are incomplete or the stack lacks its outputs', async () => {
  const serviceDir = serviceWith({ 'index.html': '' });
  const incomplete = pluginFor(serviceDir, { outputs: { ConsoleBucketName: 'b', DistributionId: 'd' }, existing: [] });
  incomplete.plugin.serverless.service.custom.consoleFiles.settings = { ...SETTINGS, userPoolId: '' };
  await assert.rejects(() => incomplete.plugin.publish(), (error) => error instanceof incomplete.ServerlessError && /userPoolId/.test(error.message));
  assert.deepEqual(incomplete.fakes.s3.sent, []);

  const noOutputs = pluginFor(serviceDir, { outputs: { ConsoleBucketName: 'b' }, existing: [] });
  await assert.rejects(() => noOutputs.plugin.publish(), /has no output DistributionId/);
  assert.deepEqual(noOutputs.fakes.s3.sent, []);
  assert.deepEqual(noOutputs.fakes.cloudFront.sent, []);
});

test('a bucket listed over several pages has every page read before stale files are chosen', async () => {
  const { plugin, fakes } = pluginFor(serviceWith({ 'index.html': '' }), { outputs: { ConsoleBucketName: 'b', DistributionId: 'd' }, existing: [] });
  const pages = { first: { Contents: [{ Key: 'index.html' }], IsTruncated: true, NextContinuationToken: 'next' }, next: { Contents: [{ Key: 'late.js' }], IsTruncated: false } };
  fakes.s3.answers.ListObjectsV2Command = (input) => pages[input.ContinuationToken ?? 'first'];
  await plugin.publish();
  const deletes = fakes.s3.sent.filter(([name]) => name === 'DeleteObjectsCommand').map(([, input]) => input.Delete.Objects);
  assert.deepEqual(deletes, [[{ Key: 'late.js' }]]);
});

test('removing the stack first deletes every version and delete marker, page by page', async () => {
  const { plugin, fakes, logged } = pluginFor(serviceWith({ 'index.html': '' }), { outputs: { ConsoleBucketName: 'b', DistributionId: 'd' }, existing: [] });
  const pages = {
    first: { Versions: [{ Key: 'index.html', VersionId: '2' }, { Key: 'index.html', VersionId: '1' }], IsTruncated: true, NextKeyMarker: 'index.html', NextVersionIdMarker: '1' },
    next: { Versions: [{ Key: 'js/app.js', VersionId: '7' }], DeleteMarkers: [{ Key: 'old.js', VersionId: '9' }], IsTruncated: false },
  };
  fakes.s3.answers.ListObjectVersionsCommand = (input) => pages[input.KeyMarker ? 'next' : 'first'];
  await plugin.empty();
  const listed = fakes.s3.sent.filter(([name]) => name === 'ListObjectVersionsCommand').map(([, input]) => [input.KeyMarker, input.VersionIdMarker]);
  assert.deepEqual(listed, [[undefined, undefined], ['index.html', '1']]);
  const deletes = fakes.s3.sent.filter(([name]) => name === 'DeleteObjectsCommand').map(([, input]) => input.Delete.Objects);
  assert.deepEqual(deletes, [[
    { Key: 'index.html', VersionId: '2' },
    { Key: 'index.html', VersionId: '1' },
    { Key: 'js/app.js', VersionId: '7' },
    { Key: 'old.js', VersionId: '9' },
  ]]);
  assert.deepEqual(fakes.cloudFront.sent, []);
  assert.match(logged.join('\n'), /Emptied b \(4 object versions\)/);
});
