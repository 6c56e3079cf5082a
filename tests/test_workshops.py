"""Workshops: a facilitator, a group, owners joining privately, and what the group sees."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.store import Store
from tests.answering import JEWELLER
from tests.fakebotapi import BotMessage, FakeBotAPI, FakeGroup, FakeUser
from tests.personas import COACH, DAKAR_SHOP, PODCAST_STUDIO
from tests.telegram_harness import TOKEN, finish_audit, idle, press_when_shown, running_bot

ROOMS = [JEWELLER, COACH, PODCAST_STUDIO, DAKAR_SHOP]


@pytest.fixture
def server() -> Iterator[FakeBotAPI]:
    with FakeBotAPI(token=TOKEN) as fake:
        yield fake


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
    await asyncio.to_thread(server.wait_for, lambda _: text in (message_of().text or ""), 10.0)


async def test_a_workshop_from_opening_to_report(server: FakeBotAPI, db_path: Path) -> None:
    group, facilitator, owners = room(server, 5)
    async with running_bot(server, db_path, refresh_seconds=0.2):
        group.send(facilitator, "/workshop Chamber November")
        await idle(server)
        join = group.messages()[0]
        assert "Chamber November" in (join.text or "")
        payload = join_link(join)
        for index, owner in enumerate(owners):
            owner.send(f"/start {payload}")
            await idle(server)
            assert "Welcome to the workshop" in "".join(m.text or "" for m in owner.messages())
            await finish_audit(server, owner, ROOMS[index % len(ROOMS)])
            label = "Yes, share my plan" if index < 2 else "No, keep it private"
            await press_when_shown(server, owner, label)
            await idle(server)
        await wait_for_text(server, lambda: group.messages()[0], "Finished: 5")
        # A non-admin is told once, then ignored.
        group.send(owners[0], "/close")
        await idle(server)
        group.send(owners[0], "/close")
        await idle(server)
        refusals = [m for m in group.messages() if "Only the group's admins" in (m.text or "")]
        assert len(refusals) == 1
        group.send(facilitator, "/summary")
        await idle(server)
        summary = group.last_message().text or ""
        assert "5 owners have finished the audit." in summary
        assert "Scores per area" in summary
        assert "Most common gaps" in summary and "$" not in summary and "zł" not in summary
        group.send(facilitator, "/report")
        await idle(server)
        report = await asyncio.to_thread(
            server.wait_for, lambda _: facilitator.last_message().document, 20.0
        )
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(report.content)).pages)
        assert "Workshop report" in text and "Most common gaps" in text
        assert "Anillos Alex" in text and "Daisey Wellness" in text  # the two who shared
        assert "Escola Podcast" not in text and "Boutique Diouf" not in text
        group.send(facilitator, "/close")
        await idle(server)
        await wait_for_text(server, lambda: group.messages()[0], "This workshop has closed.")
        late = server.user(7999, language_code="en")
        late.send(f"/start {payload}")
        await idle(server)
        assert "This workshop has closed." in (late.last_message().text or "")
    # The group saw the join message (edited, never re-sent), one refusal, a summary, a reply.
    assert len(group.messages()) == 4
    assert len(group.messages()[0].edits) >= 2
    assert not server.errors
    store = Store(db_path)
    shares = [m["shares_plan"] for m in store.memberships(1)]
    store.close()
    assert shares == [1, 1, 0, 0, 0]


async def test_fewer_than_three_finished_get_counts_only(server: FakeBotAPI, db_path: Path) -> None:
    group, facilitator, owners = room(server, 2)
    async with running_bot(server, db_path, refresh_seconds=0.2):
        group.send(facilitator, "/workshop")
        await idle(server)
        payload = join_link(group.messages()[0])
        for owner in owners:
            owner.send(f"/start {payload}")
            await idle(server)
            await finish_audit(server, owner, JEWELLER)
        group.send(facilitator, "/summary")
        await idle(server)
    summary = group.last_message().text or ""
    assert "2 owners have finished the audit." in summary
    assert "appear once at least three owners have finished" in summary
    assert "Scores per area" not in summary and "Most common gaps" not in summary


async def test_a_finished_owner_may_reuse_their_audit(server: FakeBotAPI, db_path: Path) -> None:
    group, facilitator, (owner,) = room(server, 1)
    async with running_bot(server, db_path, refresh_seconds=0.2):
        owner.send("/start")
        await idle(server)
        await finish_audit(server, owner, JEWELLER)
        group.send(facilitator, "/workshop")
        await idle(server)
        owner.send(f"/start {join_link(group.messages()[0])}")
        await idle(server)
        await press_when_shown(server, owner, "Use my finished audit")
        await idle(server)
        assert "Share your plan with the facilitator" in (owner.last_message().text or "")
        await wait_for_text(server, lambda: group.messages()[0], "Finished: 1")


async def test_a_second_workshop_command_reposts_the_open_one(
    server: FakeBotAPI, db_path: Path
) -> None:
    group, facilitator, _ = room(server, 0)
    async with running_bot(server, db_path, refresh_seconds=0.2):
        group.send(facilitator, "/workshop First")
        await idle(server)
        group.send(facilitator, "/workshop Second")  # e.g. after the bot was re-added
        await idle(server)
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
    async with running_bot(server, db_path, refresh_seconds=0.5):
        group.send(facilitator, "/workshop Cámara de Comercio, taller de noviembre")
        await idle(server)
        payload = join_link(group.messages()[0])
        for index, owner in enumerate(owners):
            owner.send(f"/start {payload}")
            await idle(server)
            await finish_audit(server, owner, ROOMS[index % len(ROOMS)])
            label = "Yes, share my plan" if index % 3 == 0 else "No, keep it private"
            await press_when_shown(server, owner, label)
        await idle(server)
        await wait_for_text(server, lambda: group.messages()[0], "Finished: 12")
        group.send(facilitator, "/summary")
        await idle(server)
        group.send(facilitator, "/close")
        await idle(server)
    log = group_log(group)
    print("\n".join(log))
    assert len(group.messages()) == 3  # the join message, the summary, the closing reply
    assert 2 <= len(group.messages()[0].edits) <= 30
    assert "12 owners have finished the audit." in (group.messages()[1].text or "")
    # Nothing an owner answered reached the group: no business name, no money.
    assert not any(name in line for name in ("Anillos", "Boutique", "Escola") for line in log)
    assert not any(symbol in line for symbol in ("$", "€", "zł", "CFA") for line in log)


async def test_a_group_upgraded_to_a_supergroup_keeps_its_workshop(
    server: FakeBotAPI, db_path: Path
) -> None:
    old = server.group(-4242, title="Small group")
    facilitator = server.user(7100, language_code="en", started=True)
    server.set_admins(old.id, [facilitator.id])
    async with running_bot(server, db_path, refresh_seconds=0.2):
        old.send(facilitator, "/workshop")
        await idle(server)
        # Telegram announces the upgrade with a service message in the old chat.
        with server._cond:
            server._queue_update(
                "message",
                {"message_id": 99, "date": 0, "chat": {"id": old.id, "type": "group"},
                 "migrate_to_chat_id": -1004242},
            )  # fmt: skip
        await idle(server)
    store = Store(db_path)
    assert store.open_workshop_in(-1004242) is not None
    assert store.open_workshop_in(old.id) is None
    store.close()
    admin_menus = [c for c in server.calls("setMyCommands") if "scope" in c]
    assert len(admin_menus) == 4
    assert admin_menus[0]["scope"] == {"type": "all_chat_administrators"}
