// CloudFront Function (cloudfront-js-2.0), viewer request on the console's files.
// The console routes in the browser's history (/, /orders/<id>, /admin/products): a path
// whose last segment has no extension is one of its pages, served by index.html. Files
// (/js/app.js) pass as they are, so a missing one is still S3's error, not the page; the
// API's paths never come here (/api/* is a behaviour of its own).
function handler(event) {
  var request = event.request;
  var last = request.uri.slice(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
