"""L4 console: the operators' web (customised Django admin) and the demo city."""
