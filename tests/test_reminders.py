"""Reminders that survive restarts: the database is the schedule, one job sends what is due, in
the owner's language, at a daytime hour of their market, at most once a day; /reminders off
and /delete stop them."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot import reminders
from bot.content import load
from bot.i18n import translator
from bot.interview import Interview
from bot.plan import build_plan
from tests.answering import JEWELLER
from tests.bot_process import bot_process
from tests.fakebotapi import FakeBotAPI
from tests.telegram_harness import (
    TOKEN,
    asked,
    edited,
    finish_audit,
    new_message,
    running_bot,
    send,
)

CONTENT = load()


def plan_in(country: str, finished_on: date = date(2026, 12, 1)):
    answers = {**JEWELLER, "country": country, "daily_revenue": {"amount": 150, "currency": "USD"},
               "ad_spend": {"amount": 0, "currency": "USD"}, "meta_revenue_share": 100}  # fmt: skip
    return build_plan(CONTENT.dialog, CONTENT.rules, answers, finished_on)


def test_reminders_come_at_ten_in_the_morning_where_the_customers_are() -> None:
    for country, utc_hour in (("sn", 10), ("co", 15), ("pl", 9), ("mx", 16)):
        plan = plan_in(country)
        schedule = reminders.schedule(plan)
        assert {r.due_at.hour for r in schedule} == {utc_hour}, country
        first = plan.actions[0]
        kinds = {(r.action_id, r.kind): r.due_at.date() for r in schedule}
        assert kinds[(first.rule.id, "before")] == first.due - timedelta(days=1)
        assert kinds[(first.rule.id, "check_in")] == first.due + timedelta(days=1)
        assert sum(1 for r in schedule if r.kind == "backup_day") == reminders.BACKUP_MONTHS
        (checkup,) = [r for r in schedule if r.kind == "checkup"]
        assert checkup.due_at.date() == plan.finished_on + reminders.CHECKUP_AFTER
    night = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
    assert not reminders.daytime(night, "Africa/Dakar")
    assert reminders.daytime(night, "Asia/Tokyo")  # noon there


def _zone_at(hour: int) -> str:
    """An IANA zone where it is about `hour` o'clock now, so the test runs the same at any
    time of day."""
    offset = (hour - datetime.now(UTC).hour) % 24
    offset = offset - 24 if offset > 12 else offset
    return f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"


def _daytime_zone_now() -> str:
    return _zone_at(12)


def _make_due(db_path: Path, kind: str = "before", zone: str | None = None) -> str:
    """Move the store's clock past the first action's reminder: it is due now. Returns the
    action's id."""
    with sqlite3.connect(db_path) as db:
        reminder_id, action = db.execute(
            "select id, action_id from reminders where kind = ? order by due_at limit 1", [kind]
        ).fetchone()
        db.execute(
            "update reminders set due_at = ?, zone = ? where id = ?",
            ["2000-01-01T00:00:00+00:00", zone or _daytime_zone_now(), reminder_id],
        )
    return str(action)


def _reminders_sent(db_path: Path) -> int:
    with sqlite3.connect(db_path) as db:
        return int(
            db.execute("select count(*) from reminders where sent_at is not null").fetchone()[0]
        )


async def test_a_due_reminder_arrives_once_after_a_kill(
    server: FakeBotAPI, db_path: Path, tmp_path: Path
) -> None:
    maria = server.user(2001, language_code="es")
    es = translator("es")
    async with running_bot(server, db_path):
        maria.send("/start")
        await asked(server, maria, 0, es)
        await finish_audit(server, maria, {**JEWELLER, "country": "es"}, es)
    fast = {"REMINDER_SECONDS": "0.5"}
    # The bot as a real process, killed with SIGKILL while nothing is due yet.
    with bot_process(server.url, TOKEN, db_path, tmp_path / "one", extra_env=fast) as bot:
        await send(server, maria, "/help", "")
        bot.process.send_signal(signal.SIGKILL)
        bot.process.wait(timeout=10)
    # Time passes: the first reminder is due when it starts again.
    _make_due(db_path)
    with bot_process(server.url, TOKEN, db_path, tmp_path / "two", extra_env=fast):
        reminder = await new_message(server, maria, 0, "Vence mañana", timeout=30)
        assert reminder.buttons and reminder.buttons[0][0].text == "✅ Hecho"
        maria.press("✅ Hecho")
        done = await edited(server, maria, reminder.message_id, "✅ Hecho:", timeout=20)
        assert "✅ Hecho:" in (done.text or "")
        checklist = await send(server, maria, "/done", "1 de 10 hechas")
        assert checklist is not None
        await send(server, maria, "/plan", "1 de 10 hechas")  # the plan counts it too
        await asyncio.sleep(1.5)  # several runs of the job later: still one reminder
        await send(server, maria, "/help", "")
    assert _reminders_sent(db_path) == 1
    sent = [c for c in server.calls("sendMessage") if "Vence mañana" in str(c.get("text"))]
    assert len(sent) == 1


async def test_at_most_one_a_day_and_none_at_night_or_when_turned_off(
    server: FakeBotAPI, db_path: Path
) -> None:
    alex = server.user(2002, language_code="en")
    async with running_bot(server, db_path):
        alex.send("/start")
        await asked(server, alex)
        await finish_audit(server, alex, JEWELLER)
    _make_due(db_path, "before")
    _make_due(db_path, "check_in")  # two due at once
    async with running_bot(server, db_path, reminder_seconds=0.3):
        await new_message(server, alex, 0, "Due tomorrow")
        await asyncio.sleep(1.5)  # several runs of the job later
        await send(server, alex, "/help", "What I can do")
    assert _reminders_sent(db_path) == 1  # the other waits for tomorrow
    with sqlite3.connect(db_path) as db:
        db.execute("update reminders set sent_at = '2000-01-01T00:00:00+00:00'")
        db.execute("update reminders set sent_at = null where kind = 'check_in'")
    # Where it is night now, it waits for the morning.
    with sqlite3.connect(db_path) as db:
        db.execute("update reminders set zone = ? where sent_at is null", [_zone_at(3)])
    async with running_bot(server, db_path, reminder_seconds=0.3):
        await send(server, alex, "/help", "What I can do")
        await send(server, alex, "/help", "What I can do")
    assert not any("Did you manage it" in (m.text or "") for m in alex.messages())
    with sqlite3.connect(db_path) as db:
        db.execute("update reminders set zone = ?", [_daytime_zone_now()])
    async with running_bot(server, db_path):  # the job would run only minutes later
        await send(server, alex, "/reminders off", "I will not write to you first")
    async with running_bot(server, db_path, reminder_seconds=0.3):
        await send(server, alex, "/help", "What I can do")
        await send(server, alex, "/help", "What I can do")
    assert not any("Did you manage it" in (m.text or "") for m in alex.messages())
    async with running_bot(server, db_path):
        await send(server, alex, "/reminders on", "I will remind you")
    async with running_bot(server, db_path, reminder_seconds=0.3):
        await new_message(server, alex, 0, "Did you manage it")
        # The hour of the day they come at (after the one due: it would move it).
        hour = await send(server, alex, "/reminders 7", "/reminders 18 sends them at 18:00")
        assert "any hour from 9 to 19" in (hour.text or "")
        moved = await send(server, alex, "/reminders 18", "Your reminders now come at")
        assert (moved.text or "").replace("\u202f", " ") == (
            "Your reminders now come at 6:00 PM, New York time."
        )
        await send(server, alex, "/delete", "Erase everything")
        alex.press("Yes, erase it all")
        await new_message(server, alex, 0, "everything I stored about you is erased")
    with sqlite3.connect(db_path) as db:
        assert db.execute("select count(*) from reminders").fetchone()[0] == 0


def test_a_bad_reminder_interval_is_named() -> None:
    import pytest

    from bot.settings import Settings, SettingsError

    with pytest.raises(SettingsError, match="REMINDER_SECONDS"):
        Settings.from_env({"REMINDER_SECONDS": "soon"})
    assert Settings.from_env({"REMINDER_SECONDS": "60"}).reminder_seconds == 60


def test_an_owner_chooses_the_hour_of_their_reminders(interview: Interview) -> None:
    """`/reminders 18`: every reminder not sent yet moves to 18:00 on its own day, in the
    market's zone; later plans are scheduled at 18:00 too; a night hour or words change
    nothing."""
    from zoneinfo import ZoneInfo

    from tests.answering import answer_all

    me = "telegram:2010"
    answer_all(interview, me, {**JEWELLER, "country": "co"}, "es")  # Bogotá
    store = interview.store
    audit = interview.finished_audit(me)
    assert audit is not None

    def local_times() -> set[tuple[int, int]]:
        rows = store.db.execute(
            "select due_at, zone from reminders where respondent_id = ? and sent_at is null", [me]
        ).fetchall()
        return {
            (when.hour, when.minute)
            for when in (datetime.fromisoformat(due).astimezone(ZoneInfo(z)) for due, z in rows)
        }

    days_before = {row[0][:10] for row in store.db.execute("select due_at from reminders")}
    assert local_times() == {(10, 0)}
    for refused in ("7", "21", "tomorrow", ""):
        assert interview.set_reminder_hour(me, refused) is None
    assert local_times() == {(10, 0)}
    chosen = interview.set_reminder_hour(me, "18:00")
    assert chosen is not None and (chosen.hour, chosen.zone) == (18, "America/Bogota")
    assert local_times() == {(18, 0)}
    # The same local days (18:00 in Bogotá is 23:00 UTC: still that day).
    assert {row[0][:10] for row in store.db.execute("select due_at from reminders")} == (
        days_before
    )
    # A plan worked out again (one answer changed) keeps the hour.
    outcome = interview.revise(me, "es", "business_name")
    assert outcome is not None and outcome.prompt is not None
    interview.answer_text(me, "Anillos Nuevos", "es")
    assert local_times() == {(18, 0)}
    t = translator("es").in_market("es_CO")
    assert (t.clock(18).replace("\u202f", " "), t.city(chosen.zone)) == ("6:00 p. m.", "Bogotá")
