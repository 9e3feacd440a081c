// The policy every function role carries, written once: write to the function's own log group
// (the framework names it <Function>LogGroup) and send traces, which X-Ray accepts on no
// resource narrower than "*". `${file(../shared/resources/logs-and-traces.js):<function>}` is
// the policy of that function of the including service.
const policy = (functionName) => ({
  PolicyName: 'logs-and-traces',
  PolicyDocument: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [`${functionName[0].toUpperCase()}${functionName.slice(1)}LogGroup`, 'Arn'] },
      },
      { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
    ],
  },
});

module.exports = async ({ resolveConfigurationProperty }) => {
  const functions = await resolveConfigurationProperty(['functions']);
  return Object.fromEntries(Object.keys(functions).map((name) => [name, policy(name)]));
};
