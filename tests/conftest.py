"""Test-wide fixtures. Environment defaults live in tests/pytest_env.py, loaded before Django starts."""
