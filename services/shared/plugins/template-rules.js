'use strict';

// CloudFormation's Rules section checks a stack's parameters before any change is made,
// but osls refuses it under `resources` (its schema has no Rules). This puts
// custom.templateRules in the packaged template instead.
class TemplateRules {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:finalize': () => this.apply() };
  }

  apply() {
    this.serverless.service.provider.compiledCloudFormationTemplate.Rules = this.serverless.service.custom.templateRules;
  }
}

module.exports = TemplateRules;
