"""Loaded with ``-p tests.pytest_env`` (see pyproject) so it runs before pytest-django reads the settings:
a throw-away home directory, fixed field keys and inline background tasks for every test run."""

from __future__ import annotations

import json
import os
import tempfile

os.environ.setdefault("TONGBAN_HOME", tempfile.mkdtemp(prefix="tongban-test-"))
os.environ.setdefault("TONGBAN_SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("TONGBAN_TASKS_IMMEDIATE", "1")
os.environ.setdefault(
    "TONGBAN_FIELD_KEYS",
    json.dumps({
        "field": {"current": "field-1", "keys": {"field-1": "00112233445566778899aabbccddeeff"}},
        "index": {"current": "index-1", "keys": {"index-1": "ff" * 32}},
    }),
)
