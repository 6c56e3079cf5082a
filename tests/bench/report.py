"""The benchmark's output: a table on stdout and docs/BENCHMARKS.md."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from itertools import groupby
from pathlib import Path

import telegram

from tests.bench import figures, hall_report
from tests.bench.figures import AUDIT_SECONDS, TELEGRAM_CALLS_PER_SECOND, Row, ms
from tests.bench.profiling import Profile
from tests.bench.suite import Results


def machine() -> list[tuple[str, str]]:
    """What the numbers were measured on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    date = subprocess.run(["date"], capture_output=True, text=True, check=True).stdout.strip()
    return [
        ("date", date),
        ("cores", str(os.cpu_count())),
        ("CPU", cpu),
        ("memory", f"{memory_kb / 1024**2:.0f} GiB"),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", platform.python_version()),
        ("python-telegram-bot", telegram.__version__),
        # Other work on the machine moves every figure: a shared machine should say so.
        ("load average at the end (1, 5, 15 min)", " ".join(_loadavg()[:3])),
    ]


def _loadavg() -> list[str]:
    return Path("/proc/loadavg").read_text().split()


def _verdict(row: Row) -> str:
    return "" if row.met is None else ("met" if row.met else "**missed**")


def _bound(row: Row) -> str:
    return row.target.bound if row.target else ""


def text_table(results: Results) -> str:
    """The figures as an aligned plain-text table, for the terminal."""
    table = figures.rows(results)
    width = max(len(row.label) for row in table) + 2
    runs = results.options.runs
    lines = [f"Canasta benchmark: median (min–max) over {runs} run{'s' * (runs > 1)}"]
    for section, section_rows in groupby(table, key=lambda row: row.section):
        lines += ["", section]
        for row in section_rows:
            verdict = _verdict(row).replace("**", "")
            target = f"  target {_bound(row)}: {verdict}" if row.target else ""
            lines.append(f"  {row.label:<{width}}{row.text()}{target}")
    scale = figures.scale(results)
    lines += [
        "",
        f"Scale: {scale.by_flood_limit:.0f} owners at once by Telegram's limit, "
        f"{scale.by_cpu:.0f} by CPU (one {AUDIT_SECONDS // 60}-minute audit each)",
        *(
            [f"Hall: {row}" for row in hall_report.section(results.hall) if row.startswith("| ")]
            if results.hall
            else []
        ),
        f"Bot warnings/errors logged: {figures.log_problems(results)}; "
        f"the whole benchmark took {results.seconds / 60:.1f} min",
    ]
    return "\n".join(lines)


def markdown(results: Results) -> str:
    """docs/BENCHMARKS.md."""
    options = results.options
    table = figures.rows(results)
    parts = [
        "# Benchmarks",
        "",
        f"Written by `python -m tests.bench` (see [How to run](#how-to-run)). Each figure is "
        f"the **median over {options.runs} run{'s' * (options.runs > 1)}, with the lowest and "
        f"highest run in brackets**; a target is judged on the median. How each figure is measured is "
        f"under [Method](#method).",
        "",
        "| machine | |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in machine()),
        "",
        "## Targets",
        "",
        "| target | result | |",
        "|---|---|---|",
        *(f"| {row.target.goal} | {row.text()} | {_verdict(row)} |" for row in table if row.target),
        *(
            f"| {goal} | {value} | {'met' if met else '**missed**'} |"
            for goal, value, met in (hall_report.targets(results.hall) if results.hall else [])
        ),
        "",
        "## Results",
    ]
    for section, section_rows in groupby(table, key=lambda row: row.section):
        parts += [
            "",
            f"### {section}",
            "",
            "| figure | median (min–max) | target |",
            "|---|---|---|",
        ]
        parts += [
            f"| {row.label} | {row.text()} | {_bound(row)} {_verdict(row)} |".replace("  |", " |")
            for row in section_rows
        ]
    parts += ["", *_traffic(results)]
    if results.hall is not None:
        parts += ["", *hall_report.section(results.hall)]
    parts += ["", *_profile(results), "", *_scale(results)]
    parts += ["", *_method(results), "", *_how_to_run(results), ""]
    return "\n".join(parts)


def _traffic(results: Results) -> list[str]:
    wire = figures.traffic(results)
    load = figures.generator(results)
    return [
        "### What one audit costs on the wire, and what the load generator costs",
        "",
        f"One audit (the four seed owners in turn) is **{wire.updates:.1f} updates** from the "
        f"owner and **{wire.calls:.1f} Bot API calls** from Canasta, of which "
        f"**{wire.chat_calls:.1f} name a chat** (what the flood limiter counts: sends, "
        f"edits, chat actions) and {wire.messages:.1f} are new messages.",
        "",
        f"The load generator (fake Bot API and owners, one Python process) spent "
        f"{load.process_cpu_ms_per_call:.2f} ms of CPU per Bot API call, "
        f"{load.fake_cpu_ms_per_call:.2f} ms of it inside the fake answering the call; during "
        f"the flat-out Canasta run it used {100 * load.core_share:.0f} % of one core, so on "
        f"two cores it is not what limits the bots. Bots' warnings and errors logged over "
        f"all runs: {figures.log_problems(results)}.",
    ]


def _profile(results: Results) -> list[str]:
    profile = results.profile
    cpu = figures.Figure.of([run.canasta.bot_cpu_ms_per_update for run in results.runs]).median
    lines = [
        "## Where the time goes",
        "",
        f"One extra flat-out run of {results.options.users} owners with the bot under "
        f"`cProfile` ({profile.updates} updates). Profiling slows the bot down "
        f"({profile.profiled_ms_per_update:.1f} ms per update instead of {cpu:.1f} ms), so the "
        f"shares matter, not the absolute times; the last column spreads the unprofiled "
        f"CPU per update by those shares.",
        "",
        "| component | share of the bot's CPU | ≈ ms per update |",
        "|---|---|---|",
        *(
            f"| {label} | {100 * share:.1f} % | {share * cpu:.2f} |"
            for label, share in profile.components
        ),
        "",
        "The functions with the most time in their own code:",
        "",
        "| function | share | calls per update |",
        "|---|---|---|",
        *(
            f"| `{name}` | {100 * share:.1f} % | {calls:.1f} |"
            for name, share, calls in profile.functions
        ),
        "",
        *_sql(profile),
    ]
    notes = _notes(results)
    if notes:
        lines += ["", "What stands out:", "", *notes]
    return lines


def _sql(profile: Profile) -> list[str]:
    per_kind = profile.statements_per_update()
    total = sum(per_kind.values())
    lines = [
        f"**SQL per update: {total:.1f} statements** "
        + "("
        + ", ".join(f"{kind} {count:.1f}" for kind, count in per_kind.items())
        + "), counted with `sqlite3`'s trace callback in the bot process. The most frequent:",
        "",
        "| statement | per update |",
        "|---|---|",
        *(
            f"| `{statement[:110]}` | {count / profile.updates:.2f} |"
            for statement, count in profile.statements.most_common(10)
        ),
        "",
    ]
    if profile.scans:
        lines.append("Reads whose plan scans a table (`EXPLAIN QUERY PLAN` on the big database):")
        lines += [
            f"- `{statement}`: {'; '.join(plan)}" for statement, plan in profile.scans.items()
        ]
    else:
        lines.append(
            "Every read of the application's tables is served by an index or primary key "
            "(`EXPLAIN QUERY PLAN` of each statement on the big database shows no SCAN)."
        )
    return lines


def _notes(results: Results) -> list[str]:
    """Findings that the measurements themselves show, so they disappear once fixed."""
    profile = results.profile
    shares = dict(profile.components)
    ours = sum(
        shares.get(label, 0)
        for label in (
            "Canasta (bot/)",
            "SQLite (sqlite3, sqlite-utils)",
            "Jinja2 templates",
            "Babel, gettext",
        )
    )
    calls = figures.traffic(results)
    notes = [
        f"- Canasta's own work (its code, SQLite, templates, translations) is {100 * ours:.0f} % "
        "of the bot's CPU. Nearly all the rest is the framework's cost per Bot API call (PTB "
        "objects, the HTTP client, sockets, the event loop), and Canasta makes "
        f"{calls.calls / calls.updates:.1f} calls per update where the echo bot makes one: "
        "that, not Canasta's code, is why its throughput is a fraction of the echo bot's."
    ]
    http = shares.get("HTTP client (aiohttp, yarl, multidict)", 0)
    if http > 0.2:
        notes.append(
            f"- The HTTP client takes {100 * http:.0f} %: each Bot API call costs its request "
            "and its answer's parsing, whatever the bot does with it. Fewer calls per answer "
            "make it cheaper."
        )
    per_kind = profile.statements_per_update()
    if per_kind.get("schema lookup", 0) > 0:
        notes.append(
            f"- {per_kind['schema lookup']:.1f} statements per update only look up the schema: "
            "sqlite-utils' `table.upsert()` introspects the table on every call "
            "(`Store.remember_prompt`, `Store.save_draft`)."
        )
    answer_reads = sum(
        count
        for statement, count in profile.statements.items()
        if statement.startswith("select question_id, value, skipped from answers")
    )
    if answer_reads / profile.updates > 1.5:
        notes.append(
            f"- The audit's answers are read {answer_reads / profile.updates:.1f} times per "
            "update (the interview derives the position from them before and after storing)."
        )
    return notes


def _scale(results: Results) -> list[str]:
    wire = figures.traffic(results)
    scale = figures.scale(results)
    minutes = AUDIT_SECONDS // 60
    bound = "Telegram's limit" if scale.by_flood_limit < scale.by_cpu else "the CPU"
    return [
        "## Scale",
        "",
        f"An owner takes about {minutes} minutes for the audit (the bot's own promise), i.e. "
        f"{wire.updates:.0f} updates and {wire.chat_calls:.0f} calls naming a chat in "
        f"{AUDIT_SECONDS} s. Telegram allows a bot about {TELEGRAM_CALLS_PER_SECOND} "
        f"messages per second, and Canasta's sender (`bot/telegram/sending.py`) applies "
        f"that to every call naming a chat. So one process serves:",
        "",
        f"- **about {scale.by_flood_limit:.0f} owners taking the audit at the same moment** "
        f"before Telegram's limit is the bottleneck ({TELEGRAM_CALLS_PER_SECOND} × "
        f"{AUDIT_SECONDS} / {wire.chat_calls:.0f}), if every call went out; "
        f"{scale.by_messages_only:.0f} if only new messages counted. Under load the sender "
        "drops the cosmetic calls, so more are served: the hall above measures it;",
        f"- about {scale.by_cpu:.0f} by CPU on this machine (the flat-out throughput × "
        f"{AUDIT_SECONDS} / {wire.updates:.0f}).",
        "",
        f"So {bound} binds first. Owners who finished or stopped cost nothing: thousands of "
        "stored audits change neither memory nor the cost of an answer (see Storage). Beyond "
        "that number of owners *at the same moment* (a big workshop, a campaign):",
        "",
        "- run the bot in **webhook mode** behind a reverse proxy (`WEBHOOK_URL`): Telegram "
        "pushes updates, no long poll is held open, and the proxy terminates TLS. It does not "
        "raise Telegram's per-bot limit;",
        "- so for more owners at once, run **one bot per community** (its own token, process "
        "and database), each with its own limit; the operator's export reads each database;",
        "- an answer costs one call the owner waits for (the next question, which repeats the "
        "answer) and one cosmetic call the sender drops under load (taking the answered "
        "question's buttons away): making the cosmetic calls rarer would not raise the "
        "ceiling, only the calm-time cost.",
    ]


def _method(results: Results) -> list[str]:
    options = results.options
    pace = options.pace
    median = statistics.median
    echo_p99 = median(ms(run.echo.measured.latencies, 0.99) for run in results.runs)
    paced_calls = median(run.paced.measured.chat_calls / run.paced.seconds for run in results.runs)
    per_owner = median(
        run.paced.updates / run.paced.seconds / options.users for run in results.runs
    )
    audit_rate = figures.traffic(results).updates / AUDIT_SECONDS
    return [
        "## Method",
        "",
        "- **The bots are real processes** polling a fake Bot API on 127.0.0.1 "
        "(`tests/bench/fakeserver.py`, a subclass of `tests/fakebotapi.py`). Simulated owners "
        "read the question from the buttons' callback data and answer as the four seed "
        "personas (en, en, fr, pl), typing numbers and ticking multi-choice options.",
        "- **Update → first reply** is timed by the fake: from queuing the update to the "
        "arrival of the bot's first call in that chat (answerCallbackQuery, sendMessage, "
        "editMessageText...). The owner's **wait for the whole answer** runs until the next "
        "question (or the ticked option, or the plan) is there.",
        f"- **Flat out**, {options.users} owners each act as soon as the bot has answered: a "
        "closed loop that keeps the bot saturated, so it measures capacity. Its latency is "
        "mostly queueing (owners ÷ throughput: even the echo bot's p99 is "
        f"{echo_p99:.0f} ms there), so the latency target is judged at human pace instead.",
        "- **Flood limits lifted for flat out**: as shipped, every call naming a chat waits "
        "for the sender's turn (`bot/telegram/sending.py`: 30/s, about one a second per "
        "chat), so a flat-out test would measure the limits. The flat-out run starts the same "
        "application through `tests/bench/unthrottled.py`, which builds the sender with no "
        "limits; the limit is applied on paper under Scale, and for real in the hall. The "
        "human-pace run and the big-database run use `python -m bot run` exactly as an "
        "operator does, against a fake without limits; the hall, against one with them.",
        "- **The echo bot** (`tests/bench/echo_bot.py`) gets exactly the same updates, in the "
        "same order per chat, with the same number of owners at once; it answers each with "
        "one sendMessage. Same `run_polling` settings, same number of updates handled at once "
        "(`bot.telegram.ordering.MAX_CONCURRENT_UPDATES`), same Python and PTB.",
        f"- **Human pace**: each owner pauses {pace.low:g}–{pace.high:g} s (uniform) before "
        f"each tap or message, for {pace.seconds:g} s: {per_owner:.2f} updates/s per owner, "
        f"{per_owner / audit_rate:.1f} times the pace of the {AUDIT_SECONDS // 60}-minute "
        f"audit the bot promises, and {paced_calls:.1f} calls naming a chat per second "
        f"({'under' if paced_calls < TELEGRAM_CALLS_PER_SECOND else 'at'} the limiter's "
        f"{TELEGRAM_CALLS_PER_SECOND}/s).",
        f"- **Storage**: databases of {options.small_audits:,} and {options.big_audits:,} "
        "finished audits are written with plain SQL (`tests/bench/storage.py`), each audit a "
        "copy of a seed owner's real answers and prompt rows. Memory is the kernel's "
        "high-water mark (VmHWM) of the bot process after it served one audit on the big "
        f"database. Answer costs: {options.cost_audits} audits per database and run, timing "
        "every `Store.record_answer` and every whole interview step (position, validation, "
        "write, next question).",
        "- **CPU** of a bot is its utime + stime from /proc over the run, divided by updates.",
        f"- **Plan rendering**: {options.renders} PDFs (Typst, `bot.pdf.render_pdf`) and chat "
        "renderings per language and run, in this process after one warm-up, of the longest "
        "plan a seed owner can get with `ranking.MAX_ACTIONS` lifted (every action that "
        "applies). The first PDF is timed in a fresh process: importing the renderer, loading "
        "the fonts and laying out, with that process' peak RSS (VmHWM). The reportlab renderer "
        "that Typst replaced is kept in `tests/bench/reportlab_pdf.py`: with the `bench` extra "
        "installed (reportlab), each Typst PDF is followed by a reportlab one, so both meet "
        "the same load, and the ratio divides their medians; without it, the ratio uses the "
        "figures recorded before the switch (`tests/bench/reportlab_baseline.json`).",
    ]


def _how_to_run(results: Results) -> list[str]:
    return [
        "## How to run",
        "",
        "```sh",
        ".venv/bin/pip install -e '.[test,bench]'  # bench: reportlab, to compare the PDF with",
        ".venv/bin/python -m tests.bench            # the full benchmark; rewrites this file",
        ".venv/bin/python -m tests.bench --quick    # a smoke run (5 owners, 1 run, < 1 min); prints only",
        "```",
        "",
        "Options: `--users N` (owners at once, default 50), `--runs R` (default 3), `--quick`, "
        "`--output PATH` (where to write this report; a quick run writes only when given), "
        "`--no-hall`, `--hall-only`, `--hall-owners`, `--hall-seconds`, `--hall-runs` (see "
        "the hall's section). "
        "It needs nothing beyond the test dependencies, uses only 127.0.0.1, stops every "
        f"process it starts, and is not collected by pytest. This run took "
        f"{results.seconds / 60:.1f} minutes; the machine should be otherwise idle, since "
        "the bot, the fake server and the owners share its cores.",
    ]
