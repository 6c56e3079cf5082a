"""Workshops: a facilitator, a group, owners joining privately, and what the group sees."""

from __future__ import annotations

import asyncio
import io
import time
from pathlib import Path

from pypdf import PdfReader

from bot.store import Store
from tests.answering import JEWELLER
from tests.fakebotapi import BotMessage, FakeBotAPI, FakeGroup, FakeUser
from tests.personas import COACH, DAKAR_SHOP, PODCAST_STUDIO
from tests.telegram_harness import (
    asked,
    document,
    finish_audit,
    idle,
    mark,
    new_message,
    press_when_shown,
    question_in,
    running_bot,
    send,
)

ROOMS = [JEWELLER, COACH, PODCAST_STUDIO, DAKAR_SHOP]


def join_link(message: BotMessage) -> str:
    (button,) = [b for row in message.buttons for b in row]
    assert button.data and "?start=ws-" in button.data
    return button.data.split("?start=")[1]


def room(server: FakeBotAPI, size: int) -> tuple[FakeGroup, FakeUser, list[FakeUser]]:
    group = server.group(-100500, title="Chamber of Commerce")
    facilitator = server.user(7000, first_name="Fatou", language_code="en", started=True)
    owners = [
        server.user(7001 + n, first_name=f"Owner{n}", language_code="en") for n in range(size)
    ]
    server.set_admins(group.id, [facilitator.id])
    return group, facilitator, owners


async def wait_for_text(server: FakeBotAPI, message_of, text: str) -> None:
    await server.until(lambda _: text in (message_of().text or ""))


async def join(server: FakeBotAPI, owner: FakeUser, payload: str) -> None:
    """The owner opens the join link: welcomed to the workshop, then asked the first question."""
    welcome = await send(server, owner, f"/start {payload}", "Welcome to the workshop")
    assert question_in(welcome).id == "business_name"  # asked under the welcome


async def take_part(server: FakeBotAPI, owner: FakeUser, answers: dict, share: bool) -> None:
    """Finish the audit, then answer "share my plan?" and wait for the bot's thanks."""
    await finish_audit(server, owner, answers)
    since = mark(owner)
    await press_when_shown(server, owner, "Yes, share my plan" if share else "No, keep it private")
    thanks = "the facilitator will see your plan" if share else "Your plan stays private."
    await new_message(server, owner, since, thanks)


async def test_a_workshop_from_opening_to_report(server: FakeBotAPI, db_path: Path) -> None:
    group, facilitator, owners = room(server, 5)
    # Five owners at once: PTB's pacing at Telegram's 30 calls a second would set the time.
    async with running_bot(server, db_path, refresh_seconds=0.2, flood_limits=False):
        join_message = await send(
            server, group, "/workshop Chamber November", "Chamber November", by=facilitator
        )
        payload = join_link(join_message)
        for owner in owners:  # one after another: the memberships are checked in this order
            await join(server, owner, payload)
        await asyncio.gather(
            *(
                take_part(server, owner, ROOMS[index % len(ROOMS)], share=index < 2)
                for index, owner in enumerate(owners)
            )
        )
        await wait_for_text(server, lambda: group.messages()[0], "Finished: 5")
        # A non-admin is told once, then ignored.
        await send(server, group, "/close", "Only the group's admins", by=owners[0])
        group.send(owners[0], "/close")
        # The bot handles a chat's updates in order: anything said to the second /close would
        # come before the summary.
        summary = await send(server, group, "/summary", "owners have finished", by=facilitator)
        refusals = [m for m in group.messages() if "Only the group's admins" in (m.text or "")]
        assert len(refusals) == 1
        text = summary.text or ""
        assert "5 owners have finished the audit." in text
        assert "Scores per area" in text
        assert "Most common gaps" in text and "$" not in text and "zł" not in text
        group.send(facilitator, "/report")
        report = await document(server, facilitator, ".pdf")
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(report.content)).pages)
        assert "Workshop report" in text and "Most common gaps" in text
        assert "Anillos Alex" in text and "Daisey Wellness" in text  # the two who shared
        assert "Escola Podcast" not in text and "Boutique Diouf" not in text
        await send(server, group, "/close", "The workshop is closed.", by=facilitator)
        await wait_for_text(server, lambda: group.messages()[0], "This workshop has closed.")
        late = server.user(7999, language_code="en")
        await send(server, late, f"/start {payload}", "This workshop has closed.")
    # The group saw the join message (edited, never re-sent), one refusal, a summary, a reply.
    assert len(group.messages()) == 4
    assert len(group.messages()[0].edits) >= 2
    store = Store(db_path)
    shares = [m["shares_plan"] for m in store.memberships(1)]
    store.close()
    assert shares == [1, 1, 0, 0, 0]


async def test_fewer_than_three_finished_get_counts_only(server: FakeBotAPI, db_path: Path) -> None:
    group, facilitator, owners = room(server, 2)
    async with running_bot(server, db_path, refresh_seconds=0.2):
        join_message = await send(server, group, "/workshop", "Finished: 0", by=facilitator)
        payload = join_link(join_message)
        for owner in owners:
            await join(server, owner, payload)
        await asyncio.gather(*(finish_audit(server, owner, JEWELLER) for owner in owners))
        summary = await send(server, group, "/summary", "owners have finished", by=facilitator)
    text = summary.text or ""
    assert "2 owners have finished the audit." in text
    assert "appear once at least three owners have finished" in text
    assert "Scores per area" not in text and "Most common gaps" not in text


async def test_a_finished_owner_may_reuse_their_audit(server: FakeBotAPI, db_path: Path) -> None:
    group, facilitator, (owner,) = room(server, 1)
    async with running_bot(server, db_path, refresh_seconds=0.2):
        owner.send("/start")
        await asked(server, owner)
        await finish_audit(server, owner, JEWELLER)
        join_message = await send(server, group, "/workshop", "Finished: 0", by=facilitator)
        await send(server, owner, f"/start {join_link(join_message)}")
        since = mark(owner)
        await press_when_shown(server, owner, "Use my finished audit")
        await new_message(server, owner, since, "Share your plan with the facilitator")
        await wait_for_text(server, lambda: group.messages()[0], "Finished: 1")


async def test_a_second_workshop_command_reposts_the_open_one(
    server: FakeBotAPI, db_path: Path
) -> None:
    group, facilitator, _ = room(server, 0)
    async with running_bot(server, db_path, refresh_seconds=0.2):
        await send(server, group, "/workshop First", "First", by=facilitator)
        # e.g. after the bot was re-added
        await send(server, group, "/workshop Second", "First", by=facilitator)
    first, second = group.messages()
    assert join_link(first) == join_link(second)
    assert "First" in (second.text or "")


def test_a_migrated_group_keeps_its_workshop(db_path: Path) -> None:
    from bot import dialog
    from bot.interview import Interview
    from bot.workshop import Workshops

    store = Store(db_path)
    workshops = Workshops(Interview(dialog.load(), store))
    opened = workshops.open(-42, None, "Moving", "tg:1", "en")
    workshops.moved(-42, -100042)
    assert workshops.in_chat(-100042) == workshops.get(opened.id)
    assert workshops.in_chat(-42) is None
    store.close()


def group_log(group: FakeGroup) -> list[str]:
    """What the group saw: each bot message as sent, then each edit."""
    lines = []
    for message in group.messages():
        lines.append(f"#{message.message_id} sent: {message.sent.get('text', '')!r}")
        lines += [f"#{message.message_id} edited: {edit!r}" for edit in message.edits]
    return lines


async def test_a_room_of_twelve_sees_a_handful_of_messages(
    server: FakeBotAPI, db_path: Path
) -> None:
    group, facilitator, owners = room(server, 12)
    refresh = 0.5
    # Without PTB's pacing at Telegram's 30 calls a second, only the bot's own refresh
    # interval keeps the join message from being edited at every event.
    async with running_bot(server, db_path, refresh_seconds=refresh, flood_limits=False):
        join_message = await send(
            server,
            group,
            "/workshop Cámara de Comercio, taller de noviembre",
            "Cámara de Comercio",
            by=facilitator,
        )
        payload = join_link(join_message)
        started = time.monotonic()

        async def owner_takes_part(index: int, owner: FakeUser) -> None:
            await join(server, owner, payload)
            await take_part(server, owner, ROOMS[index % len(ROOMS)], share=index % 3 == 0)

        # The whole room at once, as in a real workshop: 36 events (joins, finishes, shares)
        # land close together, and the group must still see only a few edits.
        await asyncio.gather(*(owner_takes_part(i, owner) for i, owner in enumerate(owners)))
        await wait_for_text(server, lambda: group.messages()[0], "Finished: 12")
        elapsed = time.monotonic() - started
        await send(server, group, "/summary", "owners have finished", by=facilitator)
        await send(server, group, "/close", "The workshop is closed.", by=facilitator)
    log = group_log(group)
    print("\n".join(log))
    assert len(group.messages()) == 3  # the join message, the summary, the closing reply
    edits = len(group.messages()[0].edits)
    # At most one edit per refresh interval while owners took part, plus the closing edit.
    assert 2 <= edits <= min(30, elapsed / refresh + 2), (edits, elapsed)
    assert "12 owners have finished the audit." in (group.messages()[1].text or "")
    # Nothing an owner answered reached the group: no business name, no money.
    assert not any(name in line for name in ("Anillos", "Boutique", "Escola") for line in log)
    assert not any(symbol in line for symbol in ("$", "€", "zł", "CFA") for line in log)
    store = Store(db_path)
    shares = sorted(m["shares_plan"] for m in store.memberships(1))
    store.close()
    assert shares == [0] * 8 + [1] * 4  # every owner's choice recorded, once


async def test_a_group_upgraded_to_a_supergroup_keeps_its_workshop(
    server: FakeBotAPI, db_path: Path
) -> None:
    old = server.group(-4242, title="Small group")
    facilitator = server.user(7100, language_code="en", started=True)
    server.set_admins(old.id, [facilitator.id])
    async with running_bot(server, db_path, refresh_seconds=0.2):
        await send(server, old, "/workshop", "Finished: 0", by=facilitator)
        # Telegram announces the upgrade with a service message in the old chat.
        with server._cond:
            server._queue_update(
                "message",
                {"message_id": 99, "date": 0, "chat": {"id": old.id, "type": "group"},
                 "migrate_to_chat_id": -1004242},
            )  # fmt: skip
        # The move is silent on the wire (a database write only): a quiet wire, with every
        # update confirmed, is the one sign that it was handled.
        await idle(server)
    store = Store(db_path)
    assert store.open_workshop_in(-1004242) is not None
    assert store.open_workshop_in(old.id) is None
    store.close()
    admin_menus = [c for c in server.calls("setMyCommands") if "scope" in c]
    assert len(admin_menus) == 4
    assert admin_menus[0]["scope"] == {"type": "all_chat_administrators"}
