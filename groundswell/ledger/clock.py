"""The legal clock: when an ask must be answered, counted in working days.

Bank holidays come from the `holidays` library (its UK subdivisions ENG, WLS, SCT, NIR), never
from a table of our own. Which holidays count depends on the law the ask is made under:

- A Freedom of Information request in England, Wales or Northern Ireland (FOIA 2000, s.10):
  20 working days after the day it was received, where a working day is any day but a Saturday,
  a Sunday, Christmas Day, Good Friday or a bank holiday *in any part of the United Kingdom*
  (s.10(6)). So St Andrew's Day or 12 July does not count for an English police force either,
  as the Information Commissioner's guidance says.
- A request to a Scottish authority (FOISA 2002, s.10 and s.73): 20 working days, where only
  Scotland's bank holidays are excluded (2 January and St Andrew's Day count; Easter Monday
  does not).
- A subject access request (UK GDPR Art. 12(3)): one calendar month, from the day of receipt to
  the same date next month (the last day of a shorter month); if that is not a working day, the
  next working day.
- A formal complaint or a campaign ask: the number of working days the organiser sets, with the
  target's own nation's bank holidays.

An email is received the day it is sent; that day is never counted ("20 working days following
the date of receipt"), so an ask sent on a Saturday has its first working day on the Monday.
"""

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays

NATIONS = ("ENG", "WLS", "SCT", "NIR")
FOI_WORKING_DAYS = 20


@lru_cache(maxsize=64)
def _holidays_for(subdivisions: tuple[str, ...], year: int) -> frozenset[date]:
    days: set[date] = set()
    for subdivision in subdivisions:
        days.update(holidays.country_holidays("GB", subdiv=subdivision, years=year).keys())
    return frozenset(days)


def bank_holidays(year: int, *, nation: str = "ENG", whole_uk: bool = False) -> frozenset[date]:
    return _holidays_for(NATIONS if whole_uk else (nation or "ENG",), year)


def is_working_day(day: date, *, nation: str = "ENG", whole_uk: bool = False) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year, nation=nation, whole_uk=whole_uk)


def add_working_days(start: date, count: int, *, nation: str = "ENG", whole_uk: bool = False) -> date:
    """The `count`th working day after `start` (start itself is never counted)."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day, nation=nation, whole_uk=whole_uk):
            count -= 1
    return day


def next_working_day(day: date, *, nation: str = "ENG", whole_uk: bool = False) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day, nation=nation, whole_uk=whole_uk):
        day += timedelta(days=1)
    return day


def working_days_between(start: date, end: date, *, nation: str = "ENG", whole_uk: bool = False) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, nation=nation, whole_uk=whole_uk):
            count += 1
    return count


def one_calendar_month_after(start: date) -> date:
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def counts_whole_uk(kind: str, nation: str) -> bool:
    """FOIA (outside Scotland) excludes a bank holiday anywhere in the UK."""
    return kind == "foi" and (nation or "ENG") != "SCT"


def due_date(*, kind: str, asked_on: date, nation: str = "ENG", working_days: int | None = None,
             deadline_on: date | None = None) -> date | None:
    """When the answer is due, for an ask of `kind` (an Ask.Kind value) received on `asked_on`."""
    nation = nation or "ENG"
    if kind == "foi":
        return add_working_days(asked_on, FOI_WORKING_DAYS, nation=nation, whole_uk=counts_whole_uk(kind, nation))
    if kind == "sar":
        return next_working_day(one_calendar_month_after(asked_on), nation=nation)
    if deadline_on is not None:
        return deadline_on
    if working_days:
        return add_working_days(asked_on, working_days, nation=nation)
    return None


def working_days_overdue(*, kind: str, due_on: date | None, today: date, nation: str = "ENG") -> int:
    if due_on is None or today <= due_on:
        return 0
    return working_days_between(due_on, today, nation=nation, whole_uk=counts_whole_uk(kind, nation))
