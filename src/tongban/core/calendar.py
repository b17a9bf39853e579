"""Working days on the Chinese holiday calendar (法定节假日 and 调休 make-up days are editable data)."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from pathlib import Path

from tongban.core.models import CalendarDay, DayKind

_CACHE_SECONDS = 60
_lock = threading.Lock()
_cache: tuple[float, dict[dt.date, str]] | None = None
HOLIDAYS_FILE = Path(__file__).parent / "data" / "holidays_cn.json"


def _exceptions() -> dict[dt.date, str]:
    global _cache
    now = time.monotonic()
    with _lock:
        if _cache is None or now - _cache[0] > _CACHE_SECONDS:
            _cache = (now, dict(CalendarDay.objects.values_list("date", "kind")))
        return _cache[1]


def invalidate() -> None:
    global _cache
    with _lock:
        _cache = None


def is_working_day(day: dt.date) -> bool:
    kind = _exceptions().get(day)
    if kind == DayKind.HOLIDAY:
        return False
    if kind == DayKind.WORKDAY:
        return True
    return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date that is ``days`` working days after ``start`` (``start`` itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in the half-open range (start, end]; 0 when end <= start."""
    count, current = 0, start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def load_holidays(path: Path = HOLIDAYS_FILE) -> int:
    """Load the shipped holiday file into the editable table (idempotent). Returns rows written."""
    data = json.loads(path.read_text(encoding="utf-8"))
    n = 0
    for row in data["days"]:
        CalendarDay.objects.update_or_create(
            date=dt.date.fromisoformat(row["date"]), defaults={"kind": row["kind"], "name": row.get("name", "")}
        )
        n += 1
    invalidate()
    return n
