"""The hash chain proves each kind of tampering, and names the first bad position."""

import itertools

import pytest
from django.db import transaction

from tongban.audit import services as audit
from tongban.audit.models import AuditEntry, ChainHead

pytestmark = pytest.mark.django_db


def write(n: int, chain: str = "main") -> list[AuditEntry]:
    with transaction.atomic():
        return [audit.append("user:1", "case.accept", "case", i, before={"s": "submitted"}, after={"s": "accepted"},
                             detail={"n": i}, chain=chain) for i in range(1, n + 1)]


def swap_positions(a: int, b: int) -> None:
    AuditEntry.objects.filter(position=a).update(position=-1)
    AuditEntry.objects.filter(position=b).update(position=a)
    AuditEntry.objects.filter(position=-1).update(position=b)


def test_untouched_chain_verifies():
    entries = write(5)
    assert [e.position for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert audit.verify() == audit.VerifyResult(True, 5)


def test_empty_chain_verifies():
    assert audit.verify().ok


def test_digests_hide_the_snapshot():
    entry = write(1)[0]
    assert entry.before_digest == audit.digest({"s": "submitted"})
    assert len(entry.after_digest) == 64
    assert "submitted" not in entry.before_digest


def test_edited_entry():
    write(5)
    AuditEntry.objects.filter(position=3).update(detail={"n": 999})
    result = audit.verify()
    assert (result.ok, result.position, result.checked) == (False, 3, 2)
    assert "edited" in result.reason


@pytest.mark.parametrize("field", ["actor", "action", "object_id", "after_digest"])
def test_any_edited_field_is_caught(field):
    write(3)
    AuditEntry.objects.filter(position=2).update(**{field: "forged"})
    assert audit.verify().position == 2


def test_deleted_middle_entry():
    write(5)
    AuditEntry.objects.filter(position=3).delete()
    result = audit.verify()
    assert (result.ok, result.position) == (False, 3)


def test_reordered_pair():
    write(5)
    swap_positions(2, 4)
    result = audit.verify()
    assert (result.ok, result.position) == (False, 2)


def test_truncated_tail():
    write(5)
    AuditEntry.objects.filter(position__gte=4).delete()
    result = audit.verify()
    assert (result.ok, result.position, result.checked) == (False, 4, 3)


def forge(position: int, prev_hash: str) -> AuditEntry:
    """An attacker who knows the (public) hash rule writes a well-formed entry but cannot move the head."""
    e = AuditEntry(chain="main", position=position, at=AuditEntry.objects.first().at, actor="user:666",
                   action="case.approve", object_type="case", object_id="42", prev_hash=prev_hash)
    e.hash = audit._entry_hash(prev_hash, e)
    e.save()
    return e


def test_inserted_forged_entry_at_the_end():
    entries = write(3)
    forge(4, entries[-1].hash)
    result = audit.verify()
    assert (result.ok, result.position) == (False, 4)


def test_inserted_forged_entry_in_the_middle():
    entries = write(3)
    AuditEntry.objects.filter(position=3).update(position=4)
    forge(3, entries[1].hash)
    result = audit.verify()
    assert (result.ok, result.position) == (False, 4)


def test_deleted_chain_head_with_entries_is_caught():
    write(3)
    ChainHead.objects.all().delete()
    assert not audit.verify().ok
    assert "main" in audit.chains()


def test_chains_are_independent():
    write(2, chain="main")
    write(3, chain="data")
    AuditEntry.objects.filter(chain="data", position=2).update(actor="forged")
    assert audit.verify("main").ok
    assert audit.verify("data").position == 2
    assert audit.chains() == ["data", "main"]


def test_append_continues_after_commit():
    write(2)
    write(2)
    assert audit.verify() == audit.VerifyResult(True, 4)


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_raises():
    with pytest.raises(RuntimeError, match="transaction"):
        audit.append("system", "x", "y", 1)
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_rolled_back_append_leaves_no_gap():
    def fail_after_append():
        with transaction.atomic():
            audit.append("system", "x", "y", 1)
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        fail_after_append()
    write(1)
    assert audit.verify() == audit.VerifyResult(True, 1)


@pytest.mark.django_db
def test_hash_covers_the_instant_not_the_zone():
    """An entry whose ``at`` carries a non-UTC offset hashes like the same instant in UTC, so it still
    verifies after the database hands it back in UTC."""
    from zoneinfo import ZoneInfo

    from tongban.audit.services import _entry_hash

    with transaction.atomic():
        e = audit.append("user:1", "x.tz", "thing", 1, detail={"n": 1})
    stored = AuditEntry.objects.get(pk=e.pk)
    local = AuditEntry.objects.get(pk=e.pk)
    local.at = stored.at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert local.at.utcoffset().total_seconds() == 8 * 3600
    assert _entry_hash(stored.prev_hash, local) == stored.hash == e.hash
    assert audit.verify().ok
