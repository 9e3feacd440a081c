"""The HTTP API of Pedidos: routes, the JWT authorizer and the API's use cases."""
