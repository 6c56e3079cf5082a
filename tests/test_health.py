"""/healthz and /metrics over real HTTP on 127.0.0.1, in polling mode (HEALTH_PORT) and in
webhook mode (routes of the webhook server), while the real bot takes a whole audit."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bot.settings import Settings
from bot.telegram.app import build_application, serve_polling
from tests.answering import JEWELLER
from tests.fakebotapi import FakeBotAPI
from tests.telegram_harness import (
    FAST_OWNER_LIMITS,
    TOKEN,
    asked,
    finish_audit,
    send,
    sender_limits,
    webhook_bot,
)


def samples(text: str) -> dict[str, float]:
    """`name{label="value"}` → value, for every sample of the exposition."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            found[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return found


async def scrape(http: httpx.AsyncClient, base: str) -> dict[str, float]:
    response = await http.get(f"{base}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return samples(response.text)


def delta(before: dict[str, float], after: dict[str, float], name: str) -> float:
    return after.get(name, 0.0) - before.get(name, 0.0)


async def test_polling_mode_health_and_metrics_count_an_audit(
    server: FakeBotAPI, db_path: Path
) -> None:
    alex = server.user(9101, language_code="en")
    settings = Settings(token=TOKEN, database=str(db_path), api_url=server.url)
    with sender_limits(FAST_OWNER_LIMITS):  # the audit below is answered far faster than by hand
        application = build_application(settings)
    stopping = asyncio.Event()
    listening: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(
        serve_polling(application, 0, stopping, listening, health_listen="127.0.0.1")
    )
    base = f"http://127.0.0.1:{await asyncio.wait_for(listening, 30)}"
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            first = await http.get(f"{base}/healthz")
            assert first.status_code == 200
            assert first.json()["database"] == "writable"
            assert first.json()["updates"] == "running"
            assert first.json()["seconds_since_last_update"] is None
            before = await scrape(http, base)
            await send(server, alex, "/start", "Hello! I am Canasta.")
            await asked(server, alex)
            await finish_audit(server, alex, JEWELLER)
            await send(server, alex, "/help", "What I can do")
            after = await scrape(http, base)
            assert delta(before, after, "canasta_audits_started_total") == 1
            assert delta(before, after, "canasta_audits_finished_total") == 1
            assert delta(before, after, "canasta_answers_stored_total") == len(JEWELLER)
            assert delta(before, after, 'canasta_plans_sent_total{form="chat"}') == 1
            # /start, one update per answer (a tick, Done...), /help: at least that many.
            assert delta(before, after, "canasta_updates_handled_total") >= len(JEWELLER) + 2
            assert after["canasta_last_update_timestamp_seconds"] > 0
            assert "process_resident_memory_bytes" in after
            seen = (await http.get(f"{base}/healthz")).json()
            assert 0 <= seen["seconds_since_last_update"] < 10
            # The database stops taking writes: 503, saying which part failed.
            store = application.bot_data["canasta.health"]._probe.__self__
            store.db.execute("PRAGMA query_only = ON")
            failing = await http.get(f"{base}/healthz")
            assert failing.status_code == 503
            assert failing.json()["database"].startswith("not writable")
            store.db.execute("PRAGMA query_only = OFF")
            assert (await http.get(f"{base}/healthz")).status_code == 200
            # The update loop stops: 503 too.
            assert application.updater is not None
            await application.updater.stop()
            stopped = await http.get(f"{base}/healthz")
            assert stopped.status_code == 503 and stopped.json()["updates"] == "stopped"
    finally:
        stopping.set()
        await asyncio.wait_for(task, 30)


async def test_polling_mode_opens_no_port_without_health_port(
    server: FakeBotAPI, db_path: Path
) -> None:
    settings = Settings(token=TOKEN, database=str(db_path), api_url=server.url)
    stopping = asyncio.Event()
    listening: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(
        serve_polling(build_application(settings), None, stopping, listening)
    )
    try:
        assert await asyncio.wait_for(listening, 30) == 0
    finally:
        stopping.set()
        await asyncio.wait_for(task, 30)


async def test_webhook_mode_serves_health_and_metrics_beside_the_webhook(
    server: FakeBotAPI, db_path: Path
) -> None:
    async with (
        webhook_bot(server, db_path, "s3cret-s3cret") as base,
        httpx.AsyncClient(timeout=10) as http,
    ):
        health = await http.get(f"{base}/healthz")
        assert health.status_code == 200, health.text
        assert health.json() | {"uptime_seconds": 0} == {
            "status": "ok", "database": "writable", "updates": "running",
            "seconds_since_last_update": None, "uptime_seconds": 0,
        }  # fmt: skip
        metrics = await scrape(http, base)
        assert "canasta_updates_handled_total" in metrics
        # The webhook route still wants Telegram's secret.
        assert (await http.post(f"{base}/telegram", json={"update_id": 1})).status_code == 403
