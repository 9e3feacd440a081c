"""The worker's Lambda entry points, one module per invoker, each exposing ``handler``."""
