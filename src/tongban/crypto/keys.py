"""Key store: named keys per purpose with a current key id. Backed by a file (generated on first run) or
by ``TONGBAN_FIELD_KEYS`` (JSON). An HSM/KMS backend can implement the same three functions."""

from __future__ import annotations

import json
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

PURPOSES = ("field", "index")
_lock = threading.Lock()


@dataclass(frozen=True)
class KeyRing:
    current: str
    keys: dict[str, bytes]


_rings: dict[str, KeyRing] | None = None


def _generate(path: Path) -> dict:
    data = {p: {"current": f"{p}-1", "keys": {f"{p}-1": secrets.token_hex(16 if p == "field" else 32)}}
            for p in PURPOSES}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f)
    os.replace(tmp, path)
    return data


def _load() -> dict[str, KeyRing]:
    raw = settings.TONGBAN_FIELD_KEYS
    if raw:
        data = json.loads(raw)
    else:
        path = Path(settings.TONGBAN_KEYS_FILE)
        data = json.loads(path.read_text()) if path.exists() else _generate(path)
    return {p: KeyRing(d["current"], {k: bytes.fromhex(v) for k, v in d["keys"].items()}) for p, d in data.items()}


def ring(purpose: str) -> KeyRing:
    global _rings
    with _lock:
        if _rings is None:
            _rings = _load()
        return _rings[purpose]


def reset() -> None:
    """Forget loaded keys (after rotation, and in tests)."""
    global _rings
    with _lock:
        _rings = None
