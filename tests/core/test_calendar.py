"""Working days on the shipped 2025–2026 holiday file (法定节假日 and 调休 make-up days)."""

import datetime as dt

import pytest

from tongban.core import calendar
from tongban.core.models import CalendarDay

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def holidays():
    """The real data file; the module cache is cleared around the test because the DB rolls back."""
    calendar.invalidate()
    n = calendar.load_holidays()
    yield n
    calendar.invalidate()


@pytest.fixture
def no_holidays():
    calendar.invalidate()
    yield
    calendar.invalidate()


def test_file_loads_and_is_idempotent(holidays):
    assert holidays > 50
    assert calendar.load_holidays() == holidays
    assert CalendarDay.objects.count() == holidays


def test_national_day_2026(holidays):
    # 2026-09-30 is a Wednesday; 10-01…10-07 are 国庆 holidays, so the next working day is Thursday 10-08.
    assert calendar.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert calendar.add_working_days(D(2026, 9, 30), 2) == D(2026, 10, 9)
    assert all(not calendar.is_working_day(D(2026, 10, d)) for d in range(1, 8))


def test_make_up_weekend_days_are_working_days(holidays):
    assert D(2026, 10, 10).weekday() == 5
    assert calendar.is_working_day(D(2026, 10, 10))
    assert D(2026, 9, 20).weekday() == 6
    assert calendar.is_working_day(D(2026, 9, 20))
    assert calendar.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)


def test_ordinary_weekend_is_not_a_working_day(holidays):
    assert not calendar.is_working_day(D(2026, 10, 11))


def test_working_days_between(holidays):
    # (09-30, 10-12]: 10-08 Thu, 10-09 Fri, 10-10 make-up Sat, 10-12 Mon.
    assert calendar.working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == 4
    assert calendar.working_days_between(D(2026, 10, 12), D(2026, 9, 30)) == 0
    assert calendar.working_days_between(D(2026, 9, 30), D(2026, 9, 30)) == 0


def test_spring_festival_2025(holidays):
    # 2025-01-26 (Sunday) is a make-up day before 春节 01-28…02-04.
    assert calendar.add_working_days(D(2025, 1, 24), 1) == D(2025, 1, 26)
    assert calendar.add_working_days(D(2025, 1, 27), 1) == D(2025, 2, 5)


def test_zero_days_is_the_same_day(holidays):
    assert calendar.add_working_days(D(2026, 10, 1), 0) == D(2026, 10, 1)


def test_add_and_between_agree_over_two_years(holidays):
    start = D(2025, 1, 1)
    for offset in range(0, 730, 3):
        day = start + dt.timedelta(days=offset)
        for n in (1, 5, 20):
            assert calendar.working_days_between(day, calendar.add_working_days(day, n)) == n


def test_without_data_only_weekends_are_off(no_holidays):
    assert calendar.is_working_day(D(2026, 10, 1))
    assert not calendar.is_working_day(D(2026, 10, 10))
    assert calendar.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 12)
