"""Append to and verify the hash chain.

hash_n = SM3(prev_hash ‖ canonical JSON of entry n's fields). Editing an entry breaks its own hash,
deleting one leaves a position gap and a prev_hash mismatch, reordering breaks both, and truncating the
tail disagrees with the chain head.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from tongban.audit.models import AuditEntry, ChainHead
from tongban.crypto import sm3_hex

GENESIS = "0" * 64


def digest(state: Any) -> str:
    """SM3 of a canonical JSON snapshot: the log proves what changed without storing personal data."""
    if state is None:
        return ""
    return sm3_hex(json.dumps(state, sort_keys=True, ensure_ascii=False, default=str).encode())


def _entry_hash(prev_hash: str, e: AuditEntry) -> str:
    body = {
        "chain": e.chain, "position": e.position, "at": _utc(e.at).isoformat(), "actor": e.actor, "action": e.action,
        "object_type": e.object_type, "object_id": str(e.object_id), "before": e.before_digest,
        "after": e.after_digest, "detail": e.detail,
    }
    return sm3_hex((prev_hash + json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)).encode())


def _utc(at: dt.datetime) -> dt.datetime:
    """The hash covers the instant, not the zone it was written in: the database returns UTC."""
    return at.astimezone(dt.UTC) if at.tzinfo is not None else at


def append(actor: str, action: str, object_type: str, object_id: Any, *, before: Any = None,
           after: Any = None, detail: dict | None = None, chain: str = "main") -> AuditEntry:
    """Append inside the caller's transaction. Call it last: the chain head stays locked until commit.

    The digests are computed before the head is touched; with the head locked only the entry hash is
    computed, between two statements (PostgreSQL, SQLite ≥ 3.35): ``UPDATE head SET position = position + 1
    … RETURNING position, hash`` and the entry insert with the head's new hash."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.append must run inside the state change's transaction")
    entry = AuditEntry(chain=chain, actor=actor, action=action, object_type=object_type, object_id=str(object_id),
                       before_digest=digest(before), after_digest=digest(after), detail=detail or {})
    if connection.vendor in ("postgresql", "sqlite") and connection.features.can_return_columns_from_insert:
        _append_returning(entry)
    else:
        _append_locked(entry)
    return entry


def _link(entry: AuditEntry, position: int, prev_hash: str) -> None:
    entry.position, entry.prev_hash, entry.at = position, prev_hash, timezone.now()
    entry.hash = _entry_hash(prev_hash, entry)


def _append_locked(entry: AuditEntry) -> None:
    """Portable path: lock the head, insert, move the head."""
    chain = entry.chain
    head = ChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is None:
        ChainHead.objects.get_or_create(chain=chain)
        head = ChainHead.objects.select_for_update().get(chain=chain)
    _link(entry, head.position + 1, head.hash)
    entry.save(force_insert=True)
    ChainHead.objects.filter(chain=chain).update(position=entry.position, hash=entry.hash)


_ADVANCE = 'UPDATE "audit_chainhead" SET "position" = "position" + 1 WHERE "chain" = %s RETURNING "position", "hash"'
_ENTRY_COLUMNS = ("chain", "position", "at", "actor", "action", "object_type", "object_id", "before_digest",
                  "after_digest", "detail", "prev_hash", "hash")
_INSERT_AND_MOVE = ('WITH e AS (INSERT INTO "audit_auditentry" ("chain", "position", "at", "actor", "action", '
                    '"object_type", "object_id", "before_digest", "after_digest", "detail", "prev_hash", "hash") '
                    'VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING "id") '
                    'UPDATE "audit_chainhead" SET "hash" = %s WHERE "chain" = %s RETURNING (SELECT "id" FROM e)')


def _append_returning(entry: AuditEntry) -> None:
    with connection.cursor() as cur:
        cur.execute(_ADVANCE, [entry.chain])
        row = cur.fetchone()
        if row is None:  # first entry of a chain: create the head, then lock it like everyone else
            ChainHead.objects.get_or_create(chain=entry.chain)
            cur.execute(_ADVANCE, [entry.chain])
            row = cur.fetchone()
    _link(entry, row[0], row[1])
    if connection.vendor == "postgresql":
        _insert_and_move_head(entry)
    else:  # SQLite runs in-process: a second statement costs no round trip
        entry.save(force_insert=True)
        ChainHead.objects.filter(chain=entry.chain).update(hash=entry.hash)


def _insert_and_move_head(entry: AuditEntry) -> None:
    """One statement: ``WITH e AS (INSERT INTO entries … RETURNING id) UPDATE head SET hash = …``."""
    concrete = {f.name: f for f in AuditEntry._meta.concrete_fields}
    fields = [concrete[name] for name in _ENTRY_COLUMNS]
    values = [f.get_db_prep_save(f.pre_save(entry, add=True), connection) for f in fields]
    with connection.cursor() as cur:
        cur.execute(_INSERT_AND_MOVE, [*values, entry.hash, entry.chain])
        entry.pk = cur.fetchone()[0]
    entry._state.adding, entry._state.db = False, connection.alias


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    position: int | None = None
    reason: str = ""


def _entries(chain: str) -> Iterator[AuditEntry]:
    return AuditEntry.objects.filter(chain=chain).order_by("position", "id").iterator(chunk_size=2000)


def verify(chain: str = "main") -> VerifyResult:
    """Walk the chain; report the first edited, deleted, inserted or reordered entry."""
    prev, expected, checked = GENESIS, 1, 0
    for e in _entries(chain):
        if e.position != expected:
            return VerifyResult(False, checked, expected, "missing or reordered entry")
        if e.prev_hash != prev:
            return VerifyResult(False, checked, e.position, "link to previous entry broken")
        if _entry_hash(prev, e) != e.hash:
            return VerifyResult(False, checked, e.position, "entry content edited")
        prev, expected, checked = e.hash, expected + 1, checked + 1
    return _check_head(chain, checked, prev)


def _check_head(chain: str, checked: int, last_hash: str) -> VerifyResult:
    """The head is written only by ``append``: entries past it were inserted, a head past them means a
    truncated tail, and entries without a head mean the head itself was deleted."""
    head = ChainHead.objects.filter(chain=chain).first()
    if head is None:
        if checked:
            return VerifyResult(False, checked, 1, "chain head missing")
        return VerifyResult(True, 0)
    if checked > head.position:
        return VerifyResult(False, head.position, head.position + 1, "entry beyond the chain head")
    if head.position != checked or head.hash != last_hash:
        return VerifyResult(False, checked, checked + 1, "entries missing at the end of the chain")
    return VerifyResult(True, checked)


def chains() -> list[str]:
    """Every chain that has a head or an entry, so deleting a head cannot hide a chain from verification."""
    heads = set(ChainHead.objects.values_list("chain", flat=True))
    return sorted(heads | set(AuditEntry.objects.values_list("chain", flat=True).distinct()))


