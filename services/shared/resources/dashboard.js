// The dashboard's body as the string CloudFormation wants; its ${...} are Fn::Sub's.
module.exports = () => JSON.stringify(require('./dashboard.json'));
