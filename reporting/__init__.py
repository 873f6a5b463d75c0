"""Reports as a use case: the data behind each report, gathered from the services."""
