// CloudFront Function (cloudfront-js-2.0), viewer request on /api/*.
// The console calls the API at /api/...; API Gateway knows its routes without that prefix,
// under the stage the origin path adds (/api/orders/1 reaches /prod/orders/1). The query
// string is apart from the URI and passes untouched.
function handler(event) {
  var request = event.request;
  request.uri = request.uri.slice('/api'.length) || '/';
  return request;
}
