'use strict';

// Lambda's code folders are read-only, so a module without bytecode in the zip is compiled
// from source again on every cold start (measured: `make bench`). This plugin compiles it
// at package time, for the runtime's Python version:
//
//   custom:
//     bytecode:
//       python: python3.13        # an interpreter of the runtime's version
//       sources: [pedidos_api]    # the service's own code: checked-hash bytecode, which
//                                 # Python validates against the source, so a working
//                                 # tree keeps running what it holds
//       requirements: true       # serverless-python-requirements' folder, before it is
//                                 # zipped: unchecked-hash, a layer never changes under it
//
// The service's package patterns must include `**/__pycache__/*.cpython-3XX.pyc`.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const COMPILER = path.join(__dirname, 'compile.py');

class BytecodePlugin {
  constructor(serverless, options, { log }) {
    this.serverless = serverless;
    this.log = log;
    this.hooks = {
      // Before the framework zips the service's functions and layers.
      'before:package:createDeploymentArtifacts': () => this.compileSources(),
      // After serverless-python-requirements installs (its before: hook), before it zips (its after: hook).
      'package:createDeploymentArtifacts': () => this.compileRequirements(),
    };
  }

  get settings() {
    return this.serverless.service.custom?.bytecode ?? {};
  }

  compile(mode, folders) {
    const runtime = this.serverless.service.provider.runtime.replace(/^python/, '');
    const python = this.settings.python ?? `python${runtime}`;
    try {
      execFileSync(python, [COMPILER, runtime, mode, ...folders], { stdio: 'inherit' });
    } catch (error) {
      // Shipping without bytecode would work but slow every cold start: refuse, and say why.
      const reason = error.code === 'ENOENT' ? `${python} was not found` : `${python} could not compile it`;
      throw new this.serverless.classes.Error(
        `serverless-bytecode: ${reason}. Packaging needs the Lambda runtime's Python ${runtime} (custom.bytecode.python).`
      );
    }
    this.log.info(`Compiled Python ${runtime} bytecode (${mode}) in ${folders.join(', ')}`);
  }

  compileSources() {
    const sources = this.settings.sources ?? [];
    if (sources.length) this.compile('checked-hash', sources.map((source) => path.join(this.serverless.serviceDir, source)));
  }

  compileRequirements() {
    if (this.settings.requirements) this.compile('unchecked-hash', [path.join(this.serverless.serviceDir, '.serverless', 'requirements')]);
  }
}

module.exports = BytecodePlugin;
