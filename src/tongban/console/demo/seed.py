"""Seed the demo city (重庆市 with 渝中, 江北, 渝北, 北碚) from ``data/*.json``, idempotently.

Every step skips rows that already exist by their natural key (region code, department code, username,
item 实施编码, …), so a second run only reads and an operator's edits in the console survive a re-seed.
Accounts are created through ``accounts.services`` and the catalog through ``catalog.services``.
"""

from __future__ import annotations

import json
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from tongban.accounts import services as accounts
from tongban.accounts.models import Department, Person, Region, RegionLevel, User
from tongban.catalog import services as catalog
from tongban.catalog.models import Bundle, Category, Process, SearchTerm, ServiceItem, Synonym, Theme
from tongban.core import calendar
from tongban.core.models import CalendarDay

DATA = Path(__file__).parent / "data"
ACTOR = "system:seed"
REGION_LEVELS = {"province": RegionLevel.PROVINCE, "city": RegionLevel.CITY, "county": RegionLevel.COUNTY,
                 "township": RegionLevel.TOWNSHIP, "village": RegionLevel.VILLAGE}


def load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def processes_dir() -> Path:
    return Path(str(resources.files("tongban.workflow") / "processes"))


def run(verbose: bool = False) -> dict[str, int]:
    """Seed everything that is missing; returns how many rows each step created."""
    started = time.monotonic()
    steps = [
        ("holidays", seed_holidays), ("regions", seed_regions), ("departments", seed_departments),
        ("officials", seed_officials), ("citizens", seed_citizens), ("enterprises", seed_enterprises),
        ("processes", seed_processes), ("catalog", seed_catalog), ("cases", seed_cases),
    ]
    done: dict[str, int] = {}
    for name, step in steps:
        done[name] = step() or 0
        if verbose:
            _say(f"  {name}: {done[name]} new")
    if verbose:
        _say(f"demo city ready in {time.monotonic() - started:.1f} s")
    return done


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def seed_holidays() -> int:
    shipped = json.loads(calendar.HOLIDAYS_FILE.read_text(encoding="utf-8"))["days"]
    if CalendarDay.objects.filter(date__in=[d["date"] for d in shipped]).count() == len(shipped):
        return 0
    return calendar.load_holidays()


@transaction.atomic
def seed_regions() -> int:
    existing = set(Region.objects.values_list("code", flat=True))
    created = 0
    for row in load("regions.json"):  # parents are listed before their children
        if row["code"] in existing:
            continue
        accounts.create_region(code=row["code"], name=row["name"], parent_code=row["parent"],
                               level=REGION_LEVELS.get(row["level"], row["level"]), actor="system")
        created += 1
    return created


@transaction.atomic
def seed_departments() -> int:
    existing = set(Department.objects.values_list("code", flat=True))
    created = 0
    for row in sorted(load("departments.json"), key=lambda r: bool(r.get("parent"))):  # parents first
        if row["code"] in existing:
            continue
        accounts.create_department(code=row["code"], name=row["name"], short_name=row.get("short_name", ""),
                                   credit_code=row["credit_code"], region_code=row["region"],
                                   phone=row.get("phone", ""), parent_code=row.get("parent"), actor="system")
        created += 1
    return created


def _password() -> str:
    return load("accounts.json")["password"]


def _share_password(usernames: list[str]) -> None:
    """Give the new demo accounts the demo password with one shared hash.

    Argon2 takes ~0.5 s per hash by design; hashing the same public demo password 60 times would make the
    first seed take half a minute. One hash, stored on every demo account, is equivalent for a known password.
    """
    if usernames:
        User.objects.filter(username__in=usernames).update(password=make_password(_password()))


@transaction.atomic
def seed_officials() -> int:
    data = load("officials.json")
    officials = data["officials"] if isinstance(data, dict) else data
    existing = set(User.objects.values_list("username", flat=True))
    departments = {d.code: d for d in Department.objects.all()}
    regions = {r.code: r for r in Region.objects.all()}
    created = []
    for row in officials:
        if row["username"] in existing:
            continue
        accounts.create_official(
            username=row["username"], password=None, name=row["name"],  # type: ignore[arg-type]
            department=departments[row["department"]], roles=row["roles"], region=regions[row["region"]],
            operator="operator" in row["roles"],
        )
        created.append(row["username"])
    _share_password(created)
    return len(created)


@transaction.atomic
def seed_citizens() -> int:
    existing = set(User.objects.values_list("username", flat=True))
    created = []
    for row in load("accounts.json")["citizens"]:
        if row["username"] in existing:
            continue
        accounts.create_citizen(username=row["username"], password=None, name=row["name"],  # type: ignore[arg-type]
                                id_number=row["id_number"], phone=row.get("phone", ""),
                                region=Region.objects.filter(code=row.get("region")).first())
        created.append(row["username"])
    _share_password(created)
    return len(created)


@transaction.atomic
def seed_enterprises() -> int:
    existing = set(User.objects.values_list("username", flat=True))
    created = []
    for row in load("accounts.json")["enterprises"]:
        if row["username"] in existing:
            continue
        rep = Person.objects.filter(user__username=row.get("legal_representative")).first()
        accounts.create_enterprise(username=row["username"], password=None, name=row["name"],  # type: ignore[arg-type]
                                   credit_code=row["credit_code"], representative=rep,
                                   region=Region.objects.filter(code=row.get("region")).first())
        created.append(row["username"])
    _share_password(created)
    return len(created)


def seed_processes() -> int:
    before = dict(_process_versions())
    catalog.load_processes_from_dir(processes_dir(), actor=ACTOR)
    return sum(1 for key, version in _process_versions() if before.get(key) != version)


def _process_versions() -> list[tuple[str, int]]:
    return list(Process.objects.values_list("key", "version"))


def seed_catalog() -> int:
    """Categories, themes, items, bundles and synonyms that are not there yet, in one all-or-nothing import."""
    payload = {
        "categories": _missing(load("categories.json"), Category, "code"),
        "themes": _missing(load("themes.json"), Theme, "code"),
        "items": _missing(load("items.json"), ServiceItem, "implementation_code"),
        "bundles": _missing(load("bundles.json"), Bundle, "code"),
        "synonyms": _missing(load("synonyms.json"), Synonym, "term"),
    }
    if not any(payload.values()):
        if not SearchTerm.objects.exists():
            catalog.reindex_all()
        return 0
    report = catalog.import_catalog(payload, actor=ACTOR, only_new=True)
    if not report.ok:
        problems = "; ".join(f"row {e['row']} {e['field']}: {e['message']}" for e in report.errors[:20])
        raise RuntimeError(f"demo catalog does not import: {problems}")
    return report.created + sum(report.counts.values())


def _missing(rows: list[dict], model: Any, key: str) -> list[dict]:
    have = set(model.objects.values_list(key, flat=True))
    return [r for r in rows if r[key] not in have]


def seed_cases() -> int:
    """Demo cases in every status, made through the case services as the demo citizens and officials."""
    from tongban.cases import demo

    return demo.seed()


def logins_text(base_url: str) -> str:
    """The block printed after ``tongban demo``: where to go and how to sign in."""
    base = base_url.rstrip("/")
    departments = ", ".join(d["code"] for d in load("departments.json"))
    return "\n".join([
        "通办 Tongban demo — 重庆市一网通办",
        f"  portal     {base}/",
        f"  workbench  {base}/workbench/",
        f"  console    {base}/console/",
        f"  API docs   {base}/api/v1/docs",
        "",
        "All demo accounts use the password Tongban@2026",
        "  citizens     zhangsan (张三), lisi (李四)",
        "  enterprise   qiye (重庆通办示范科技有限公司)",
        "  operator     admin (platform console)",
        "  民政局        mz.shouli (受理), mz.shenhe (审核), mz.shenpi (审批)",
        "  other depts  {dept}.shouli / {dept}.shenhe / {dept}.shenpi",
        f"               dept = {departments}",
    ])
