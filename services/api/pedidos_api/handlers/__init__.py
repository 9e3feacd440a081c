"""The API's Lambda entry points, one module per invoker, each exposing ``handler``."""
