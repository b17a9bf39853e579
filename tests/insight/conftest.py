"""Statistics tests reuse the small city of the case tests."""

from tests.cases.conftest import _fast_passwords, city, form  # noqa: F401
