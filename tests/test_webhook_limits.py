"""The webhook cannot be flooded: a request without the secret, or announcing a body over
1 MiB, is refused from its headers, before its body is read; a chunked body is cut off. Real
HTTP over loopback to the real process, whose memory is measured."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from bot.telegram.webhook import MAX_BODY_BYTES, SECRET_HEADER
from tests.bot_process import BotProcess, bot_process, message_update
from tests.fakebotapi import FakeBotAPI
from tests.telegram_harness import TOKEN

SECRET = "limits-secret-0b5e"
HUGE = 90 * 1024 * 1024
CHUNK = b"x" * (1024 * 1024)


def flood(bot: BotProcess, headers: dict[str, str], chunked: bool = False) -> tuple[str, int]:
    """Send a 90 MiB request as fast as the server takes it; returns the status line the
    server answered (or '' if it just hung up) and how many body bytes it accepted."""
    head = "POST /telegram HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    head += "Transfer-Encoding: chunked\r\n" if chunked else f"Content-Length: {HUGE}\r\n"
    sent = 0
    with socket.create_connection(("127.0.0.1", bot.port), timeout=5) as conn:
        conn.sendall((head + "\r\n").encode())
        try:
            while sent < HUGE:
                piece = b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK) if chunked else CHUNK
                conn.sendall(piece)
                sent += len(CHUNK)
        except OSError:  # the server closed the connection: the rest was never read
            pass
        try:
            status = conn.recv(200).decode(errors="replace").split("\r\n")[0]
        except OSError:
            status = ""
    return status, sent


def test_oversized_and_unauthenticated_posts_are_refused_before_the_body(tmp_path: Path) -> None:
    with FakeBotAPI(token=TOKEN) as server:
        alex = server.user(7101, first_name="Alex", language_code="en", started=True)
        with bot_process(
            server.url,
            TOKEN,
            tmp_path / "c.db",
            tmp_path / "out",
            log_level="WARNING",
            webhook_secret=SECRET,
            webhook=True,
        ) as bot:
            server.wait_for(lambda s: s.calls("setWebhook"), timeout=30)
            before = bot.rss_kib()
            started = time.monotonic()
            results = [
                flood(bot, {}),  # no secret
                flood(bot, {SECRET_HEADER: "guess"}),  # a wrong one
                flood(bot, {}),
                flood(bot, {SECRET_HEADER: SECRET}),  # the secret, but too big
                flood(bot, {SECRET_HEADER: SECRET}, chunked=True),  # cut off after 1 MiB
            ]
            elapsed = time.monotonic() - started
            after = bot.rss_kib()
            print(f"\nRSS before {before} KiB, after the oversized POSTs {after} KiB; {results}")
            statuses = [status for status, _ in results]
            assert [s.split(" ")[1:2] for s in statuses[:4]] == [["403"]] * 3 + [["413"]]
            assert "200" not in statuses[4]
            # The server hung up long before 90 MiB (kernel buffers take a few MiB).
            assert all(sent < 32 * 1024 * 1024 for _, sent in results), results
            assert elapsed < 10
            assert after - before < 5 * 1024, (before, after)

            ok = bot.post(message_update(801, alex.info, "/start"), SECRET)
            assert ok.status_code == 200
            server.wait_for(lambda _: len(alex.messages()) >= 1, timeout=10)
            just_under = {**message_update(802, alex.info, "/help"), "pad": "x" * 1000}
            assert bot.post(just_under, SECRET).status_code == 200
            assert MAX_BODY_BYTES == 1024 * 1024
    assert any("Hello! I am Canasta." in (m.text or "") for m in alex.messages())
