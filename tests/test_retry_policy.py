"""A call is sent again only when that cannot show the owner something twice: not after a
send's request reached Telegram and the answer was lost; yes for edits, button answers, and
whatever never left."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest
from aiohttp.client_reqrep import ConnectionKey
from telegram.error import NetworkError

from bot.telegram.retry import may_retry
from tests.fakebotapi import FakeBotAPI, _Call
from tests.telegram_harness import TOKEN, answer, idle, running_bot

COUNTRY = "Where are most of your customers?"


class ActsThenDrops(FakeBotAPI):
    """Telegram acting on a call and the connection dropping before the answer."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.act_then_drop: list[str] = []

    def _reply_to(self, call: _Call) -> tuple[int, bytes] | None:
        with self._cond:
            drop = call.method in self.act_then_drop
            if drop:
                self.act_then_drop.remove(call.method)
        reply = super()._reply_to(call)
        return None if drop else reply


def failure(cause: Exception | None) -> NetworkError:
    error = NetworkError("failed")
    error.__cause__ = cause
    return error


REFUSED = aiohttp.ClientConnectorError(
    ConnectionKey("api.telegram.org", 443, True, True, None, None, None),
    ConnectionRefusedError(111, "Connection refused"),
)


@pytest.mark.parametrize(
    ("endpoint", "cause", "retried"),
    [
        ("sendMessage", REFUSED, True),
        ("sendMessage", aiohttp.ConnectionTimeoutError("busy"), True),  # no free connection
        ("sendMessage", None, True),  # a 5xx: Telegram says it failed
        ("sendMessage", aiohttp.ServerDisconnectedError(), False),
        ("sendMessage", aiohttp.SocketTimeoutError("slow"), False),
        ("sendDocument", aiohttp.ClientOSError(104, "reset"), False),
        ("editMessageText", aiohttp.ServerDisconnectedError(), True),
        ("answerCallbackQuery", aiohttp.ClientOSError(104, "reset"), True),
        ("sendChatAction", aiohttp.ClientOSError(104, "reset"), True),
        ("getUpdates", REFUSED, False),  # PTB's updater retries it
    ],
)
def test_the_policy(endpoint: str, cause: Exception | None, retried: bool) -> None:
    assert may_retry(endpoint, failure(cause)) is retried


async def test_a_send_that_reached_telegram_is_not_sent_again(db_path: Path) -> None:
    server = ActsThenDrops(token=TOKEN)
    with server:
        alex = server.user(7401, language_code="en")
        async with running_bot(server, db_path):
            alex.send("/start")
            await idle(server)
            server.act_then_drop.append("sendMessage")
            alex.send("Anillos")
            await idle(server)
            asked = [m for m in alex.messages() if COUNTRY in (m.text or "")]
            assert len(asked) == 1  # delivered once, not repeated
            sent = [c["text"] for c in server.calls("sendMessage")]
            assert sum(COUNTRY in text for text in sent) == 1
            # The handler's error path asks the owner to try again (one apology).
            assert sum("Sorry" in text for text in sent) == 1
            # A button answer lost the same way is repeated, harmlessly.
            server.act_then_drop.append("answerCallbackQuery")
            await answer(server, alex, "es")
            contact = alex.last_message()
            assert "first get in touch" in (contact.text or "")
            # An edit lost before Telegram acted is repeated, and lands once.
            edits_before = len(server.calls("editMessageText"))
            server.fail_next("editMessageText", drop=True)
            await answer(server, alex, ["instagram"])
            assert len(server.calls("editMessageText")) > edits_before + 1  # dropped, then again
            edited = next(m for m in alex.messages() if m.message_id == contact.message_id)
            assert edited.edits
            # No error after the first: the repeated button answer counted as answered.
            assert sum("Sorry" in (m.text or "") for m in alex.messages()) == 1
        assert not server.errors
