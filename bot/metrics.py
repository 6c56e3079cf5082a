"""What an operator counts: the bot's counters in Prometheus' text format (`/metrics`).

The counters live here and are incremented where things happen in the front end (the Telegram
layer, its retry limiter), never inside the core's rules: `bot/interview.py`, `bot/plan.py`
and `bot/store.py` know nothing of them. One registry per process, with the process' own
figures (memory, CPU, open files) beside ours.
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)

disable_created_metrics()  # no `_created` twin for every counter: half the lines, no loss
REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)

UPDATES = Counter(
    "canasta_updates_handled", "Telegram updates handled (a redelivered one counts once)",
    registry=REGISTRY,
)  # fmt: skip
ANSWERS = Counter(
    "canasta_answers_stored", 'Answers stored, "don\'t know" included', registry=REGISTRY
)
AUDITS_STARTED = Counter("canasta_audits_started", "Audits begun", registry=REGISTRY)
AUDITS_FINISHED = Counter("canasta_audits_finished", "Audits finished", registry=REGISTRY)
PLANS_SENT = Counter(
    "canasta_plans_sent", "Plans sent, by form: chat, pdf or ics", ["form"], registry=REGISTRY
)
ERRORS = Counter(
    "canasta_errors",
    "Errors: while handling an update, or fetching updates from Telegram",
    ["where"],
    registry=REGISTRY,
)
RETRIES = Counter(
    "canasta_bot_api_retries",
    "Bot API calls tried again after a network error or a 5xx, by method",
    ["method"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "canasta_bot_api_rate_limited",
    "Bot API answers 429 Too Many Requests (waited out, then tried again), by method",
    ["method"],
    registry=REGISTRY,
)
COSMETIC_DROPPED = Counter(
    "canasta_cosmetic_calls_dropped",
    "Cosmetic Bot API calls (marking a question answered, typing...) not sent under load",
    registry=REGISTRY,
)
LAST_UPDATE = Gauge(
    "canasta_last_update_timestamp_seconds",
    "Unix time the last update was handled (0 before the first)",
    registry=REGISTRY,
)

for form in ("chat", "pdf", "ics"):
    PLANS_SENT.labels(form)  # every series present from the start, at 0
for where in ("update", "polling"):
    ERRORS.labels(where)


def exposition() -> tuple[bytes, str]:
    """The text for GET /metrics, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
