"""L3 insight: dashboards and statistics."""
