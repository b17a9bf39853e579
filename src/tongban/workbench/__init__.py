"""L4 workbench: the officials' web."""
