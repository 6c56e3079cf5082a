"""The plan as an iCalendar file: one all-day event per action deadline, and a monthly
"backup and export day" (the first Monday of each month), as the seeds' virtual assistant does
with a calendar reminder."""

from __future__ import annotations

from datetime import date, timedelta

from icalendar import Alarm, Calendar, Event, vRecur

from bot import render
from bot.i18n import N_, translator
from bot.planview import PlanView

BACKUP_DAY = N_("Backup and export day")
BACKUP_DAY_STEPS = N_(
    "Copy your customer list, invoices and contracts to your backups; download your data from "
    "Facebook/Instagram, WhatsApp and Google; check that the copies open."
)


def render_ics(view: PlanView, uid_prefix: str) -> bytes:
    """Events in the view's order; `uid_prefix` keeps them stable when the file is imported
    again (the same audit's events replace, not duplicate, the earlier ones)."""
    t = translator(view.locale)
    calendar = Calendar()
    calendar.add("prodid", "-//Canasta//Action plan//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", t.gettext("Canasta plan"))
    for action in view.actions:
        if action.state == "dropped":  # not for this owner: no date in their calendar
            continue
        description = "\n".join(f"• {step}" for step in action.steps)
        title = f"✅ {action.title}" if action.state == "done" else action.title
        event = _all_day(
            f"{uid_prefix}-{action.id}",
            title,
            action.due,
            f"{description}\n\n{t.gettext('Why:')} {action.why}",
        )
        if action.state != "done":  # nothing to be reminded of
            event.add_component(_reminder(action.title))
        calendar.add_component(event)
    backup_day = _all_day(
        f"{uid_prefix}-backup-day",
        t.gettext(BACKUP_DAY),
        _first_monday_after(view.finished_on),
        t.gettext(BACKUP_DAY_STEPS),
    )
    backup_day.add("rrule", vRecur(freq="MONTHLY", byday="1MO"))
    backup_day.add_component(_reminder(t.gettext(BACKUP_DAY)))
    calendar.add_component(backup_day)
    return calendar.to_ical()


def _all_day(uid: str, summary: str, day: date, description: str) -> Event:
    event = Event()
    event.add("uid", f"{uid}@canasta")
    event.add("dtstamp", render.now_utc())
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("description", description)
    return event


def _reminder(summary: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(hours=9))  # 09:00 on the day
    return alarm


def _first_monday_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7 or 7)
