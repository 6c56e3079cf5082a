"""Reminders: when the bot writes to an owner about their plan, so that intentions get done.

Pure: a plan in, a schedule out. For each action, a reminder the day before it is due and a
check-in the day after ("Did you manage it?"); the monthly backup and export day of the
calendar file, for the next three months; and after 90 days, a check-up. Every time is a
daytime hour of the owner's market (10:00 in Dakar, Bogotá or Warsaw), stored in UTC with its
zone, so a bot that was down and catches up still never writes at night (`daytime`). At most
one message a day reaches an owner (`REST`): what else is due waits for the next day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.plan import Plan

HOUR = time(10, 0)
"""When a reminder is due, in the owner's time zone: after opening, before the busy hours."""
DAYTIME = range(9, 20)
"""Local hours a reminder may go out in: never at night, however late the bot catches up."""
REST = timedelta(hours=20)
"""At most one reminder a day: the next waits this long after the last one sent."""
BACKUP_MONTHS = 3
CHECKUP_AFTER = timedelta(days=90)
"""When a re-audit is proposed: long enough for the first moves to be done."""


@dataclass(frozen=True)
class Reminder:
    action_id: str | None
    """None for the backup day."""
    kind: str
    """"before" (the day before the deadline), "check_in" (the day after), "backup_day"."""
    due_at: datetime
    """In UTC."""
    zone: str


def schedule(plan: Plan, hour: int | None = None) -> list[Reminder]:
    """The reminders for a plan just finished, in the owner's market time zone, at the hour
    they chose (`/reminders 18`) or at HOUR."""
    zone = plan.market.timezone
    at = time(hour, 0) if hour is not None else HOUR
    reminders = []
    for action in plan.actions:
        before, after = _at(action.due - _DAY, zone, at), _at(action.due + _DAY, zone, at)
        reminders.append(Reminder(action.rule.id, "before", before, zone))
        reminders.append(Reminder(action.rule.id, "check_in", after, zone))
    backup_day = _first_monday_after(plan.finished_on)
    for _ in range(BACKUP_MONTHS):
        reminders.append(Reminder(None, "backup_day", _at(backup_day, zone, at), zone))
        backup_day = _first_monday_after(_next_month(backup_day))
    checkup = plan.finished_on + CHECKUP_AFTER
    reminders.append(Reminder(None, "checkup", _at(checkup, zone, at), zone))
    return sorted(reminders, key=lambda reminder: reminder.due_at)


_HOUR_TYPED = re.compile(r"(\d{1,2})(?:\s*(?:[:.h]\s*00?|h))?")


def typed_hour(text: str) -> int | None:
    """The hour an owner typed for their reminders ("18", "18:00", "18h", "9.00"), if it is a
    daytime one (DAYTIME); None otherwise."""
    found = _HOUR_TYPED.fullmatch(text.strip().lower())
    hour = int(found.group(1)) if found else None
    return hour if hour in DAYTIME else None


def moved(due_at: datetime, zone: str, hour: int) -> datetime:
    """A reminder's time (UTC) moved to `hour` on the same local day."""
    local = due_at.astimezone(ZoneInfo(zone))
    return _at(local.date(), zone, time(hour, 0))


def daytime(now: datetime, zone: str) -> bool:
    """Whether it is a decent hour to write to someone in `zone`."""
    return now.astimezone(ZoneInfo(zone)).hour in DAYTIME


_DAY = timedelta(days=1)


def _at(day: date, zone: str, at: time = HOUR) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _first_monday_after(day: date) -> date:
    return day + timedelta(days=7 - day.weekday())


def _next_month(day: date) -> date:
    """The first day of the month after `day`'s, less a day (so the Monday after falls in it)."""
    first = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first - _DAY
