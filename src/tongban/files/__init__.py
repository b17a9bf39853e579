"""L1 files: material storage with type and size checks."""
