"""Portal views, one module per page group. Each parses the request, calls a service and renders."""
