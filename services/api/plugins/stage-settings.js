'use strict';

// The framework creates the REST API's stage through its Deployment resource
// and offers no setting for stage throttling. This sets it there, with X-Ray
// tracing and metrics, so the packaged template itself says how the stage is
// protected (custom.stageSettings in serverless.yml).
class StageSettings {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:finalize': () => this.apply() };
  }

  apply() {
    const settings = this.serverless.service.custom.stageSettings;
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    const deployments = Object.values(resources).filter((resource) => resource.Type === 'AWS::ApiGateway::Deployment');
    for (const deployment of deployments) {
      deployment.Properties.StageDescription = {
        ThrottlingBurstLimit: Number(settings.throttlingBurstLimit),
        ThrottlingRateLimit: Number(settings.throttlingRateLimit),
        TracingEnabled: true,
        MetricsEnabled: true,
      };
    }
  }
}

module.exports = StageSettings;
