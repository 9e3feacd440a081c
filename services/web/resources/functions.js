// The CloudFront Functions' code, as the strings CloudFormation wants (FunctionCode).
// Each file holds one `handler`; tests/deployment/test_web_functions.py runs them.
const fs = require('node:fs');
const path = require('node:path');

const source = (name) => fs.readFileSync(path.join(__dirname, '..', 'functions', name), 'utf8');

module.exports = () => ({ spaRoutes: source('spa-routes.js'), stripApiPrefix: source('strip-api-prefix.js') });
