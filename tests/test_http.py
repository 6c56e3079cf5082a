"""The bot's HTTP client (bot/telegram/http.py) under PTB's own Bot, against the fake Bot API on
127.0.0.1: what it sends arrives intact, and each way a call can fail is told apart by whether
the request can have reached Telegram (what retry.py decides on: `http.NOT_SENT`)."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, TimedOut

from bot.settings import Settings
from bot.store import Store
from bot.telegram.app import build_application
from bot.telegram.http import NOT_SENT, AiohttpRequest
from bot.telegram.retry import may_retry
from tests.fakebotapi import FakeBotAPI, UploadedFile
from tests.telegram_harness import TOKEN

CHAT = 7501


@asynccontextmanager
async def bot_at(url: str, **options: float) -> AsyncIterator[Bot]:
    """PTB's Bot on `url` with AiohttpRequest, its sessions open (no getMe, so a dead server
    fails the test's own call)."""
    request = AiohttpRequest(2, **options)
    bot = Bot(TOKEN, base_url=f"{url}/bot", request=request, get_updates_request=AiohttpRequest(1))
    await request.initialize()
    try:
        yield bot
    finally:
        await request.shutdown()


def closed_port() -> int:
    """A port of 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_application_talks_to_telegram_through_it(store: Store) -> None:
    application = build_application(Settings(token=TOKEN), store)
    assert isinstance(application.bot.request, AiohttpRequest)
    assert isinstance(application.bot._request[0], AiohttpRequest)  # the long poll's


async def test_a_message_goes_out_and_its_answer_comes_back(server: FakeBotAPI) -> None:
    owner = server.user(CHAT, started=True)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Sí, ¿y tú? ✓", callback_data="a&b=c")]])
    async with bot_at(server.url) as bot:
        sent = await bot.send_message(CHAT, "Zażółć gęślą jaźń & <b>", reply_markup=keyboard)
    shown = owner.last_message()
    assert shown.text == sent.text == "Zażółć gęślą jaźń & <b>"
    assert shown.message_id == sent.message_id
    assert [[(button.text, button.data) for button in row] for row in shown.buttons] == [
        [("Sí, ¿y tú? ✓", "a&b=c")]
    ]


async def test_a_document_arrives_byte_for_byte_with_its_name(server: FakeBotAPI) -> None:
    server.user(CHAT, started=True)
    content = os.urandom(200_000) + b"\r\n--boundary\r\n\x00"  # binary, multipart look-alikes
    name = 'canasta-plan "Ñandú".pdf'
    async with bot_at(server.url) as bot:
        message = await bot.send_document(CHAT, content, filename=name, caption="Tu plan")
    (call,) = server.calls("sendDocument")
    assert call["document"] == UploadedFile(name, content, "application/pdf")
    assert call["caption"] == "Tu plan"
    assert message.document is not None and message.document.file_name == name


async def test_a_refused_connection_was_not_sent() -> None:
    async with bot_at(f"http://127.0.0.1:{closed_port()}") as bot:
        with pytest.raises(NetworkError) as failed:
            await bot.send_message(CHAT, "hello")
    assert isinstance(failed.value.__cause__, NOT_SENT)
    assert may_retry("sendMessage", failed.value)  # Telegram cannot have acted


async def test_no_free_connection_in_the_pool_wait_was_not_sent(server: FakeBotAPI) -> None:
    server.user(CHAT, started=True)
    server.fail_next("sendMessage", delay=1.5)  # holds the only connection
    request = AiohttpRequest(1, pool_timeout=0.2, connect_timeout=0.2)
    bot = Bot(TOKEN, base_url=f"{server.url}/bot", request=request)
    await request.initialize()
    try:
        slow = asyncio.create_task(bot.send_message(CHAT, "slow"))
        await server.until(lambda _: len(server.calls("sendMessage")) == 1)
        with pytest.raises(TimedOut) as failed:
            await bot.send_message(CHAT, "waits")
        await slow
    finally:
        await request.shutdown()
    assert isinstance(failed.value.__cause__, NOT_SENT)
    assert may_retry("sendMessage", failed.value)
    assert [call["text"] for call in server.calls("sendMessage")] == ["slow"]


async def test_a_connection_dropped_after_the_request_may_have_been_sent(
    server: FakeBotAPI,
) -> None:
    server.user(CHAT, started=True)
    server.fail_next("sendMessage", drop=True)  # reads the request, hangs up without an answer
    async with bot_at(server.url) as bot:
        with pytest.raises(NetworkError) as failed:
            await bot.send_message(CHAT, "hello")
    assert len(server.calls("sendMessage")) == 1  # it reached the server
    assert not isinstance(failed.value.__cause__, NOT_SENT)
    assert not may_retry("sendMessage", failed.value)  # a send would show twice
    assert may_retry("editMessageText", failed.value)  # an edit lands once however often


async def test_an_answer_too_slow_times_out(server: FakeBotAPI) -> None:
    owner = server.user(CHAT, started=True)
    server.fail_next("sendMessage", delay=2.0)  # acts at once, answers late
    async with bot_at(server.url) as bot:
        with pytest.raises(TimedOut) as failed:
            await bot.send_message(CHAT, "hello", read_timeout=0.3)
    assert owner.last_message().text == "hello"  # delivered, though the bot cannot know it
    assert not isinstance(failed.value.__cause__, NOT_SENT)
    assert not may_retry("sendMessage", failed.value)


@asynccontextmanager
async def recording_proxy() -> AsyncIterator[tuple[str, list[str]]]:
    """An HTTP proxy on 127.0.0.1 that records each request line and answers every call
    `{"ok": true, "result": true}` itself: its address and the lines seen."""
    lines: list[str] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines.append(head.split(b"\r\n", 1)[0].decode())
        length = next(
            (int(line.split(b":")[1]) for line in head.split(b"\r\n")
             if line.lower().startswith(b"content-length:")),
            0,
        )  # fmt: skip
        await reader.readexactly(length)
        body = b'{"ok": true, "result": true}'
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)
        )
        await writer.drain()
        writer.close()

    proxy = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = proxy.sockets[0].getsockname()[1]
    async with proxy:
        yield f"http://127.0.0.1:{port}", lines


async def test_calls_go_through_the_proxy_the_environment_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """HTTPS_PROXY is honoured, as PTB's own client did: some networks reach Telegram no
    other way."""
    async with recording_proxy() as (address, lines):
        monkeypatch.setenv("HTTPS_PROXY", address)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        async with bot_at("http://api.telegram.invalid") as bot:
            assert await bot.send_chat_action(CHAT, "typing") is True
    assert lines == [f"POST http://api.telegram.invalid/bot{TOKEN}/sendChatAction HTTP/1.1"]


async def test_a_host_in_no_proxy_is_called_directly(
    server: FakeBotAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.user(CHAT, started=True)
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    async with bot_at(server.url) as bot:
        assert await bot.send_chat_action(CHAT, "typing") is True
    assert server.calls("sendChatAction")
