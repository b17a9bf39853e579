"""L0 kernel: base models, national codes and checksums, money, working-day calendar, errors, outbox."""
