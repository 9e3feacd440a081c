"""The infrastructure definitions, read and built: resolved configurations, deployment artifacts, the Lambda layout."""
