"""The token and the webhook secret never reach stdout or stderr, at any log level, and what an
owner types reaches no log line: checked on the real process."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.store import Store
from bot.telegram import redact
from bot.telegram.app import ALLOWED_UPDATES
from tests.bot_process import bot_process, message_update
from tests.fakebotapi import FakeBotAPI
from tests.telegram_harness import TOKEN

SECRET = "webhook-secret-4f1c9a7e2b"
ANSWER = "Joyeria Zafiro Escondido 7319"


@pytest.mark.parametrize("level", ["DEBUG", "INFO"])
def test_a_rejected_token_prints_one_redacted_line(tmp_path: Path, level: str) -> None:
    rejected = "654321:REJECTED-token-never-printed"
    # The fake answers 401 to getMe for any token but its own.
    with (
        FakeBotAPI(token=TOKEN) as server,
        bot_process(
            server.url,
            rejected,
            tmp_path / "c.db",
            tmp_path / "out",
            log_level=level,
            webhook_secret=SECRET,
            webhook=True,
        ) as bot,
    ):
        code = bot.process.wait(timeout=30)
        output = bot.output()
        lines = bot.stderr_lines()
    assert code != 0
    assert output.count(rejected) == 0 and output.count(SECRET) == 0
    assert "REJECTED" not in output  # not even the secret half of the token
    assert lines[-1].startswith("canasta: the bot stopped: InvalidToken:")
    assert "<token>" in lines[-1]
    if level == "INFO":
        assert len(lines) == 1, lines
    else:
        assert "Traceback" in output  # the traceback, redacted, only at DEBUG


def test_a_debug_session_over_the_webhook_logs_ids_not_secrets_nor_answers(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "c.db"
    with FakeBotAPI(token=TOKEN) as server:
        alex = server.user(7001, first_name="Alex", language_code="en", started=True)
        with bot_process(
            server.url,
            TOKEN,
            db_path,
            tmp_path / "out",
            log_level="DEBUG",
            webhook_secret=SECRET,
            webhook=True,
        ) as bot:
            server.wait_for(lambda s: s.calls("setWebhook"), timeout=30)
            assert bot.post(message_update(501, alex.info, "/start"), SECRET).status_code == 200
            server.wait_for(lambda _: len(alex.messages()) >= 1, timeout=10)  # welcome + question
            assert bot.post(message_update(502, alex.info, ANSWER), SECRET).status_code == 200
            server.wait_for(lambda _: len(alex.messages()) >= 2, timeout=10)
            assert bot.stop() == 0
            output = bot.output()
    assert server.calls("setWebhook")[-1]["secret_token"] == SECRET
    assert output.count(TOKEN) == 0 and output.count(SECRET) == 0
    assert [line for line in output.splitlines() if ANSWER in line] == []
    assert "Processing update 502 (chat 7001)" in output  # ids, at DEBUG
    assert "DEBUG" in output
    with Store(db_path) as store:
        audit = store.latest_audit("tg:7001")
        assert audit is not None and store.answers(audit.id)["business_name"] == ANSWER


def test_a_debug_session_polling_logs_no_token_and_no_answer(tmp_path: Path) -> None:
    with FakeBotAPI(token=TOKEN) as server:
        alex = server.user(7002, first_name="Alex", language_code="en")
        with bot_process(
            server.url, TOKEN, tmp_path / "c.db", tmp_path / "out", log_level="DEBUG"
        ) as bot:
            server.wait_for(lambda s: s.calls("getUpdates"), timeout=30)
            alex.send("/start")
            server.wait_for(lambda _: len(alex.messages()) >= 1, timeout=10)  # welcome + question
            alex.send(ANSWER)
            server.wait_for(lambda _: len(alex.messages()) >= 2, timeout=10)
            assert bot.stop() == 0
            output = bot.output()
    assert output.count(TOKEN) == 0
    assert [line for line in output.splitlines() if ANSWER in line] == []
    assert "Getting updates" in output
    # Only the update types the bot handles are asked for (in webhook mode: test_dedupe.py).
    assert server.calls("getUpdates")[-1]["allowed_updates"] == ALLOWED_UPDATES


def test_records_are_redacted_and_payloads_summarised(caplog: pytest.LogCaptureFixture) -> None:
    redact.install("42:tok-en", "s3cret-value")
    caplog.set_level(logging.DEBUG)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact.RedactSecrets())
    ptb = logging.getLogger("telegram.Bot")
    ptb.debug("Calling Bot API endpoint `%s` with parameters `%s`", "sendMessage", {"text": ANSWER})
    ptb.debug("Call to Bot API endpoint `%s` finished with return value `%s`", "x", {"t": ANSWER})
    logging.getLogger("telegram.ext.Application").debug("Processing update %s", {"update_id": 9})
    logging.getLogger("bot").info("url /bot42:tok-en/getMe and /bot42%3Atok-en with s3cret-value")
    try:
        raise RuntimeError("boom 42:tok-en")
    except RuntimeError:
        logging.getLogger("bot").exception("failed")
    text = caplog.text
    assert ANSWER not in text and "tok-en" not in text and "s3cret-value" not in text
    assert "Calling Bot API endpoint `sendMessage`" in text and "Processing update 9" in text
    assert "/bot<token>/getMe" in text and "boom <token>" in text and "<secret>" in text
