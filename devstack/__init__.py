"""The whole of Pedidos on one machine: local AWS endpoint, serverless offline, queue delivery."""
