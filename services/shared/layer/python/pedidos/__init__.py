"""Pedidos shared layer: the models, the DynamoDB data access and the SQS publisher."""
