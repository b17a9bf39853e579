"""L0 audit: an append-only, SM3 hash-chained log of every state change and every personal-data read."""
