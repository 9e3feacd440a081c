'use strict';

// The settings a deploy writes to /settings.json, as the web service's params give them.
exports.SETTINGS = {
  apiBaseUrl: '/api',
  region: 'eu-west-1',
  cognitoEndpoint: 'https://cognito-idp.eu-west-1.amazonaws.com',
  userPoolId: 'eu-west-1_EXAMPLE',
  clientId: 'exampleclient',
  currency: 'EUR',
};
