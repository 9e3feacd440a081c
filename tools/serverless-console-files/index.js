'use strict';

// After `serverless deploy` of the web service: uploads the console's files to the stack's
// bucket, writes /settings.json from the service's resolved settings (the other stacks'
// outputs, through compose params), removes what the previous deploy left, and invalidates
// the files browsers must see at once. Before `serverless remove`, it empties the bucket
// (every version: CloudFormation cannot delete a bucket that holds any).
//
//   custom:
//     consoleFiles:
//       folder: public            # the console, as served (index.html at its root)
//       settings: { apiBaseUrl, region, cognitoEndpoint, userPoolId, clientId, currency }
//
// The stack must output ConsoleBucketName and DistributionId.
const path = require('node:path');
const { CloudFormationClient, DescribeStacksCommand } = require('@aws-sdk/client-cloudformation');
const { S3Client, PutObjectCommand, DeleteObjectsCommand, ListObjectsV2Command, ListObjectVersionsCommand } = require('@aws-sdk/client-s3');
const { CloudFrontClient, CreateInvalidationCommand } = require('@aws-sdk/client-cloudfront');
const { INVALIDATED_PATHS, staleKeys, uploadsOf } = require('./files');

class ConsoleFilesPlugin {
  constructor(serverless, options, { log }) {
    this.serverless = serverless;
    this.provider = serverless.getProvider('aws');
    this.log = log;
    this.hooks = {
      'after:deploy:deploy': () => this.publish(),
      'before:remove:remove': () => this.empty(),
    };
  }

  get settings() {
    return this.serverless.service.custom?.consoleFiles ?? {};
  }

  async clients() {
    const config = await this.provider.getAwsSdkV3Config();
    return { cloudFormation: new CloudFormationClient(config), s3: new S3Client(config), cloudFront: new CloudFrontClient(config) };
  }

  async publish() {
    const folder = path.join(this.serverless.serviceDir, this.settings.folder ?? 'public');
    let uploads;
    try {
      uploads = uploadsOf(folder, this.settings.settings);
    } catch (error) {
      throw new this.serverless.classes.Error(`serverless-console-files: ${error.message}`);
    }
    const { cloudFormation, s3, cloudFront } = await this.clients();
    const { ConsoleBucketName: bucket, DistributionId: distribution } = await this.outputs(cloudFormation);

    for (const upload of uploads) await s3.send(new PutObjectCommand({ Bucket: bucket, ...upload }));
    const stale = staleKeys(await this.keysIn(s3, bucket), uploads);
    await this.remove(s3, bucket, stale.map((key) => ({ Key: key })));
    await cloudFront.send(
      new CreateInvalidationCommand({
        DistributionId: distribution,
        InvalidationBatch: {
          CallerReference: `pedidos-console-${Date.now()}`,
          Paths: { Quantity: INVALIDATED_PATHS.length, Items: INVALIDATED_PATHS },
        },
      })
    );
    this.log.info(`Uploaded ${uploads.length} console files to ${bucket} (${stale.length} removed); invalidated ${INVALIDATED_PATHS.join(', ')}`);
  }

  async empty() {
    const { cloudFormation, s3 } = await this.clients();
    const { ConsoleBucketName: bucket } = await this.outputs(cloudFormation, ['ConsoleBucketName']);
    const versions = [];
    let KeyMarker;
    let VersionIdMarker;
    do {
      const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker, VersionIdMarker }));
      versions.push(...[...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map(({ Key, VersionId }) => ({ Key, VersionId })));
      [KeyMarker, VersionIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextVersionIdMarker] : [];
    } while (KeyMarker);
    await this.remove(s3, bucket, versions);
    this.log.info(`Emptied ${bucket} (${versions.length} object versions)`);
  }

  // DeleteObjects takes at most 1,000 objects a call.
  async remove(s3, bucket, objects) {
    for (let start = 0; start < objects.length; start += 1000) {
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects.slice(start, start + 1000), Quiet: true } }));
    }
  }

  async keysIn(s3, bucket) {
    const keys = [];
    let ContinuationToken;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }));
      keys.push(...(page.Contents ?? []).map((object) => object.Key));
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return keys;
  }

  async outputs(cloudFormation, needed = ['ConsoleBucketName', 'DistributionId']) {
    const StackName = this.provider.naming.getStackName();
    const { Stacks: [stack] } = await cloudFormation.send(new DescribeStacksCommand({ StackName }));
    const outputs = Object.fromEntries((stack.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));
    const missing = needed.filter((name) => !outputs[name]);
    if (missing.length) throw new this.serverless.classes.Error(`serverless-console-files: ${StackName} has no output ${missing.join(', ')}`);
    return outputs;
  }
}

module.exports = ConsoleFilesPlugin;
