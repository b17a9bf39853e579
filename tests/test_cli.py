"""``tongban audit verify`` in-process: exit 0 on a good chain, 1 naming the first bad position."""

import pytest
from django.db import transaction

from tongban import cli
from tongban.audit import services as audit
from tongban.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def write(n: int, chain: str = "main") -> None:
    with transaction.atomic():
        for i in range(n):
            audit.append("system", "demo.seed", "thing", i, chain=chain)


def test_verify_good_chain(capsys):
    write(4)
    assert cli.main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert "audit chain 'main': OK, 4 entries verified" in out


def test_verify_empty_database(capsys):
    assert cli.main(["audit", "verify"]) == 0
    assert "OK, 0 entries" in capsys.readouterr().out


def test_verify_names_the_tampered_position(capsys):
    write(4)
    AuditEntry.objects.filter(position=2).update(detail={"forged": True})
    assert cli.main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "BROKEN at position 2" in out
    assert "edited" in out


def test_verify_reports_each_chain(capsys):
    write(2, chain="main")
    write(2, chain="data")
    AuditEntry.objects.filter(chain="data", position=2).delete()
    assert cli.main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "audit chain 'main': OK" in out
    assert "audit chain 'data': BROKEN at position 2" in out


def test_unknown_command_exits_with_usage(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["audit", "nope"])
    assert exc.value.code == 2
