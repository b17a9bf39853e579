"""L2 cases: applications (办件), their lifecycle, SLA clock, supplements and evaluations (好差评)."""
