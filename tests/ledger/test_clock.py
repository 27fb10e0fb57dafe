"""The legal clock (ledger/clock.py): due dates in working days with the right bank holidays,
from the holidays library. Every expected date below was counted by hand on a 2025-2026 calendar."""

from datetime import date

import pytest

from groundswell.ledger import clock


def test_an_foi_request_sent_on_a_friday_counts_from_the_monday_and_skips_both_may_bank_holidays():
    # Friday 1 May 2026: Monday 4 May (May Day) and 25 May (Spring bank holiday) do not count.
    assert clock.due_date(kind="foi", asked_on=date(2026, 5, 1), nation="ENG") == date(2026, 6, 2)


def test_an_foi_request_sent_the_day_before_easter_skips_good_friday_and_easter_monday():
    # Thursday 2 April 2026; Good Friday 3 April, Easter Monday 6 April, May Day 4 May.
    assert clock.due_date(kind="foi", asked_on=date(2026, 4, 2), nation="ENG") == date(2026, 5, 5)


def test_in_scotland_foisa_counts_easter_monday_as_a_working_day():
    assert clock.due_date(kind="foi", asked_on=date(2026, 4, 2), nation="SCT") == date(2026, 5, 1)


def test_in_scotland_the_second_of_january_is_a_holiday():
    # Wednesday 31 December 2025: 1 and 2 January are Scottish bank holidays.
    assert clock.due_date(kind="foi", asked_on=date(2025, 12, 31), nation="SCT") == date(2026, 1, 30)
    # A campaign ask to an English target counts 2 January.
    assert clock.due_date(kind="campaign", asked_on=date(2025, 12, 31), nation="ENG", working_days=20) == date(2026, 1, 29)


def test_st_andrews_day_counts_in_scotland_but_not_for_an_english_campaign_ask():
    # Friday 13 November 2026; St Andrew's Day is Monday 30 November.
    assert clock.due_date(kind="foi", asked_on=date(2026, 11, 13), nation="SCT") == date(2026, 12, 14)
    assert clock.due_date(kind="campaign", asked_on=date(2026, 11, 13), nation="ENG", working_days=20) == date(2026, 12, 11)


def test_foia_excludes_a_bank_holiday_in_any_part_of_the_uk():
    # FOIA s.10(6): St Patrick's Day (17 March, Northern Ireland) is not a working day for an
    # English authority either. Friday 6 March 2026 -> 8 April (Easter skipped too).
    assert clock.due_date(kind="foi", asked_on=date(2026, 3, 6), nation="ENG") == date(2026, 4, 8)
    assert not clock.is_working_day(date(2026, 3, 17), nation="ENG", whole_uk=True)
    assert clock.is_working_day(date(2026, 3, 17), nation="ENG")


@pytest.mark.parametrize(("asked_on", "due"), [
    (date(2026, 3, 3), date(2026, 4, 7)),  # 3 April is Good Friday, 6 April Easter Monday
    (date(2026, 1, 31), date(2026, 3, 2)),  # no 31 February: 28 February, a Saturday
    (date(2026, 6, 10), date(2026, 7, 10)),
])
def test_a_subject_access_request_has_one_calendar_month_then_the_next_working_day(asked_on, due):
    assert clock.due_date(kind="sar", asked_on=asked_on, nation="ENG") == due


def test_a_campaign_ask_has_the_deadline_the_organiser_set():
    assert clock.due_date(kind="campaign", asked_on=date(2026, 5, 1), deadline_on=date(2026, 5, 14)) == date(2026, 5, 14)
    assert clock.due_date(kind="campaign", asked_on=date(2026, 5, 1)) is None


def test_working_days_overdue_skip_weekends_and_bank_holidays():
    # Due Thursday 14 May 2026; on Wednesday 27 May: 15, 18-22, 26, 27 (25 May is a bank holiday).
    assert clock.working_days_overdue(kind="campaign", due_on=date(2026, 5, 14), today=date(2026, 5, 27)) == 8
    assert clock.working_days_overdue(kind="campaign", due_on=date(2026, 5, 14), today=date(2026, 5, 14)) == 0
