"""Virus-scan seam. A scanner looks at a fully written temporary file before it becomes visible."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class Scanner(Protocol):
    def scan(self, path: Path) -> None:
        """Raise ``ValidationFailed(code="file_infected")`` to refuse the file."""


class NoScanner:
    """Accepts everything: the default until a real scanner (e.g. ClamAV) is configured."""

    def scan(self, path: Path) -> None:
        return None
