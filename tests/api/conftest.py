"""API hardening tests reuse the small city of the case tests: 重庆市, 民政局 and its officials, two citizens."""

from __future__ import annotations

from tests.cases.conftest import DIBAO_FORM, PASSWORD, _fast_passwords, city, form, login  # noqa: F401
