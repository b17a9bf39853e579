"""L4 portal: the citizen web."""
