"""The `canasta` / `python -m bot` command line."""

from __future__ import annotations

import argparse
import getpass
import locale as system_locale
import logging
import os
import sqlite3
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from bot import catalogs, i18n, logs
from bot.content import load as load_content
from bot.errors import DialogError, StoreError
from bot.settings import Settings, SettingsError

if TYPE_CHECKING:
    from bot.interview import Interview
    from bot.plan import Plan
    from bot.store import Audit, Store


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"canasta: {error}", file=sys.stderr)
        return 2
    command = args.command or "run"
    if command == "run" and settings.token:
        _keep_secrets_out_of_output(settings)
    logs.configure(settings.log_level, settings.log_format)
    try:
        return _dispatch(parser, command, settings, args)
    except BrokenPipeError:
        # `canasta dialog diagram | head`: the reader has all it wanted. Nothing more is
        # written, not even when Python flushes stdout on the way out.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # an unwritable database, a missing folder, a full disk...
        # One line for the operator; the traceback only at LOG_LEVEL=DEBUG, through the log
        # (and so through the redaction of the token and the webhook secret).
        from bot.telegram import redact

        redact.install(settings.token, settings.webhook_secret)
        logging.getLogger("bot").debug("canasta %s failed", command, exc_info=True)
        print(redact.redact(f"canasta: {_explain(error, settings)}"), file=sys.stderr)
        return 1


def _dispatch(
    parser: argparse.ArgumentParser, command: str, settings: Settings, args: argparse.Namespace
) -> int:
    if command == "run":
        return _run(settings, args)
    if command == "console":
        return _console(settings, args)
    if command == "export":
        return _export(settings, args)
    if command == "mark":
        return _mark(settings, args)
    if command == "purge":
        return _purge(settings, args)
    if command == "backup":
        return _backup(settings, args)
    if command == "workshop-report":
        return _workshop_report(settings, args)
    if command == "stats":
        return _stats(settings, args)
    if command == "healthcheck":
        return _healthcheck(settings, args)
    if command == "dialog":
        return _dialog(args)
    if command == "catalogs":
        return _catalogs(args)
    parser.error(f"unknown command {command}")
    return 2


def _explain(error: Exception, settings: Settings) -> str:
    """An operator's mistake in one line, naming what to fix."""
    if isinstance(error, sqlite3.Error | StoreError):
        return f"cannot use the database {settings.database} (CANASTA_DB): {error}"
    if isinstance(error, OSError) and error.filename:
        reason = error.strerror or type(error).__name__
        return f"{reason}: {error.filename}"
    return f"{type(error).__name__}: {error}"


def _version() -> str:
    try:
        return metadata.version("canasta")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="canasta",
        description="Canasta: audit how much a small business depends on one platform.",
    )
    parser.add_argument("--version", action="version", version=f"canasta {_version()}")
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run on Telegram (BOT_TOKEN), else in this terminal")
    console = sub.add_parser("console", help="take the audit in this terminal")
    for command in (run, console):
        command.add_argument("--lang", choices=i18n.SUPPORTED_LOCALES, help="language")
        command.add_argument("--id", help="who is answering (to resume later); default: you")
        command.add_argument("--restart", action="store_true", help="start a fresh audit")
        command.add_argument("--pdf", type=Path, help="also write the plan as a PDF here")
        command.add_argument("--ics", type=Path, help="also write the deadlines as .ics here")
    export = sub.add_parser("export", help="write a respondent's latest plan or data to a file")
    export.add_argument("--respondent", required=True, help="e.g. tg:123456 or console:maria")
    export.add_argument("--format", choices=("pdf", "ics", "json"), default="pdf")
    export.add_argument("--out", type=Path, required=True, help="the file to write")
    export.add_argument("--lang", choices=i18n.SUPPORTED_LOCALES, help="default: theirs")
    mark = sub.add_parser("mark", help="mark an action of a respondent's plan done, and so on")
    mark.add_argument("--respondent", required=True, help="e.g. tg:123456 or console:maria")
    mark.add_argument("action", help="the action's id (see `export --format json`)")
    mark.add_argument("state", choices=("done", "snoozed", "dropped", "open"))
    report = sub.add_parser("workshop-report", help="write a workshop's report PDF")
    report.add_argument("code", help="the workshop code (the part after ws- in its join link)")
    report.add_argument("--out", type=Path, required=True, help="the PDF to write")
    report.add_argument("--lang", choices=i18n.SUPPORTED_LOCALES, help="default: the facilitator's")
    purge = sub.add_parser("purge", help="remove audits left unfinished for a long time")
    purge.add_argument("--older-than", required=True, type=_days, help="e.g. 180d")
    backup = sub.add_parser("backup", help="a consistent copy of the live database")
    backup.add_argument("path", type=Path, help="where to write the copy")
    check = sub.add_parser("dialog", help="check the audit data or draw it")
    check.add_argument("action", choices=("check", "diagram"))
    check.add_argument("--audit", type=Path, help="another audit file (default: the shipped one)")
    check.add_argument("--actions", type=Path, help="another rules file (default: the shipped one)")
    translations = sub.add_parser("catalogs", help="update or check the translation catalogs")
    translations.add_argument("action", choices=("update", "check"))
    stats = sub.add_parser(
        "stats", help="anonymous figures for a network: audits, median scores, common gaps"
    )
    stats.add_argument("--format", choices=("json", "csv"), default="json")
    stats.add_argument(
        "--by",
        action="append",
        choices=("country", "language"),
        default=[],
        help="split the figures by the country answer and/or the language (repeatable)",
    )
    stats.add_argument("--out", type=Path, help="write here instead of printing")
    health = sub.add_parser("healthcheck", help="ask the running bot's /healthz (for Docker)")
    health.add_argument("--url", help="default: http://127.0.0.1:<HEALTH_PORT or PORT>/healthz")
    return parser


def _run(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.token and not sys.stdin.isatty():
        # A server with BOT_TOKEN missing: nobody is there to answer an audit, and a
        # console respondent must not land in the production database.
        print(
            "canasta: BOT_TOKEN is not set and there is no terminal to run the audit in; "
            "set BOT_TOKEN to run on Telegram (or use `canasta console` to pipe answers)",
            file=sys.stderr,
        )
        return 2
    if not settings.token:
        t = i18n.translator(_console_locale(settings, args))
        note = t.gettext(
            "No BOT_TOKEN is set, so Canasta runs the audit here in the terminal. "
            "To run it on Telegram, set BOT_TOKEN to the token @BotFather gave you."
        )
        print(note, file=sys.stderr)
        return _console(settings, args)
    from bot.lock import AlreadyRunning, InstanceLock
    from bot.telegram.app import run_bot  # the Telegram layer loads only when it is used

    try:
        lock = InstanceLock(settings.database).acquire()
    except AlreadyRunning as error:
        print(f"canasta: {error}", file=sys.stderr)
        return 1
    try:
        run_bot(settings)
    except Exception as error:  # a rejected token, an unreachable API, a port in use...
        # One line (the streams are redacted); the traceback only at LOG_LEVEL=DEBUG.
        logging.getLogger("bot").debug("the bot stopped", exc_info=True)
        print(f"canasta: the bot stopped: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    finally:
        lock.release()
    return 0


def _keep_secrets_out_of_output(settings: Settings) -> None:
    """Before anything can print: the token and the webhook secret are blanked out of stdout,
    stderr and every log record, whatever writes them (see bot/telegram/redact.py)."""
    from bot.telegram import redact

    redact.SECRETS.add(settings.token, redact.TOKEN_MASK)
    redact.SECRETS.add(settings.webhook_secret)
    redact.protect_streams()


def _console(settings: Settings, args: argparse.Namespace) -> int:
    from bot.console import ConsoleAudit
    from bot.store import Store

    locale = _console_locale(settings, args)
    i18n.load_all()
    with Store(settings.database) as store:
        audit = ConsoleAudit(
            _interview(store),
            i18n.translator(locale),
            f"console:{args.id or getpass.getuser()}",
            sys.stdin,
            sys.stdout,
        )
        return audit.run(restart=args.restart, pdf_path=args.pdf, ics_path=args.ics)


def _latest_plan(
    interview: Interview, respondent: str, settings: Settings
) -> tuple[Audit, Plan] | None:
    """The respondent's latest (audit, plan), or None after saying so in one line."""
    latest = interview.latest_plan(respondent)
    if latest is None:
        print(f"{respondent} has no finished audit in {settings.database}", file=sys.stderr)
    return latest


def _mark(settings: Settings, args: argparse.Namespace) -> int:
    """What an owner told a facilitator they did, recorded for them (`/done` in the chat)."""
    from bot.store import Store

    with Store(settings.database) as store:
        interview = _interview(store)
        latest = _latest_plan(interview, args.respondent, settings)
        if latest is None:
            return 1
        audit, plan = latest
        state = None if args.state == "open" else args.state
        if interview.mark(args.respondent, audit.id, args.action, state) is None:
            ids = ", ".join(action.rule.id for action in plan.actions)
            print(f"{args.action!r} is not in their plan; it has: {ids}", file=sys.stderr)
            return 1
        print(f"{args.respondent}: {args.action} {args.state}")
        return 0


def _export(settings: Settings, args: argparse.Namespace) -> int:
    import json

    from bot import calendar, export, pdf
    from bot.planview import plan_view
    from bot.store import Store

    with Store(settings.database) as store:
        interview = _interview(store)
        latest = _latest_plan(interview, args.respondent, settings)
        if latest is None:
            return 1
        audit, plan = latest
        locale = args.lang or store.respondent_locale(args.respondent) or i18n.DEFAULT_LOCALE
        t = i18n.translator(locale)
        if args.format == "pdf":
            args.out.write_bytes(pdf.render_pdf(plan_view(plan, t)))
        elif args.format == "ics":
            args.out.write_bytes(calendar.render_ics(plan_view(plan, t), f"audit-{audit.id}"))
        else:
            data = export.audit_data(interview, audit)
            args.out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
        return 0


def _days(text: str) -> int:
    """ "180d" or "180" → 180."""
    digits = text.removesuffix("d")
    if not (digits.isascii() and digits.isdigit()):
        raise argparse.ArgumentTypeError(f"expected a number of days such as 180d, got {text!r}")
    return int(digits)


def _purge(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime, timedelta

    from bot.store import Store

    before = (datetime.now(UTC) - timedelta(days=args.older_than)).isoformat(timespec="seconds")
    with Store(settings.database) as store:
        removed = store.purge(before)
    print(f"removed {removed} unfinished audits last touched before {before}", file=sys.stderr)
    return 0


def _backup(settings: Settings, args: argparse.Namespace) -> int:
    from bot.store import Store

    folder = args.path.resolve().parent
    if not folder.is_dir():
        print(f"canasta: the folder {folder} does not exist; create it first", file=sys.stderr)
        return 1
    with Store(settings.database) as store:
        store.backup(args.path)
    print(f"copied {settings.database} to {args.path}", file=sys.stderr)
    return 0


def _workshop_report(settings: Settings, args: argparse.Namespace) -> int:
    from bot.pdf import render_workshop_pdf
    from bot.planview import plan_view
    from bot.store import Store
    from bot.workshop import Workshops, parse_start_payload

    with Store(settings.database) as store:
        workshops = Workshops(_interview(store))
        code = parse_start_payload(args.code if args.code.startswith("ws-") else f"ws-{args.code}")
        workshop = workshops.by_code(code) if code else None
        if workshop is None:
            print(f"no workshop {args.code!r} in {settings.database}", file=sys.stderr)
            return 1
        t = i18n.translator(args.lang or workshops.locale(workshop))
        shared = [plan_view(plan, t) for plan in workshops.shared_plans(workshop)]
        report = render_workshop_pdf(workshop.title, workshops.picture(workshop), shared, t)
        args.out.write_bytes(report)
        print(f"wrote {args.out}", file=sys.stderr)
        return 0


def _stats(settings: Settings, args: argparse.Namespace) -> int:
    from bot import stats
    from bot.store import Store

    if not Path(settings.database).is_file():
        print(f"canasta: no database at {settings.database} (CANASTA_DB)", file=sys.stderr)
        return 1
    with Store(settings.database) as store:
        earlier = store.finished_without_results()
        if earlier:  # finished before results were kept: worked out once, with today's rules
            interview = _interview(store)
            for audit in earlier:
                interview.save_results(audit)
            print(f"stored the results of {len(earlier)} earlier audits", file=sys.stderr)
        data = stats.figures(
            store.results_rows(), store.result_scores(), store.result_actions(), args.by
        )
    text = stats.as_csv(data) if args.format == "csv" else stats.as_json(data)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _healthcheck(settings: Settings, args: argparse.Namespace) -> int:
    """GET /healthz of the bot running here: exit 0 on 200 (Docker's HEALTHCHECK)."""
    import urllib.error
    import urllib.request

    from bot.health import HEALTH_PATH

    port = settings.port if settings.webhook_url else (settings.health_port or settings.port)
    url = args.url or f"http://127.0.0.1:{port}{HEALTH_PATH}"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    except (urllib.error.URLError, OSError) as error:
        print(f"canasta: {url}: {getattr(error, 'reason', error)}", file=sys.stderr)
        return 1
    print(f"{status} {body.decode('utf-8', 'replace')}")
    return 0 if status == 200 else 1


def _console_locale(settings: Settings, args: argparse.Namespace) -> str:
    """--lang, else the system's language, else DEFAULT_LOCALE."""
    system = system_locale.getlocale()[0] or os.environ.get("LANG")
    return args.lang or i18n.negotiate(system, settings.default_locale)


def _interview(store: Store) -> Interview:
    from bot.interview import Interview

    content = load_content()
    return Interview(content.dialog, store, content.rules)


def _dialog(args: argparse.Namespace) -> int:
    from bot.diagram import mermaid, path_lengths

    try:
        audit = load_content(args.audit, args.actions).dialog
    except DialogError as error:
        print(error, file=sys.stderr)
        return 1
    if args.action == "diagram":
        print(mermaid(audit))
        return 0
    shortest, longest = path_lengths(audit)
    print(
        f"{args.audit or 'dialogs/audit.yaml'}: {len(audit.questions)} questions, valid; "
        f"an owner answers {shortest} to {longest}"
    )
    return 0


def _catalogs(args: argparse.Namespace) -> int:
    if args.action == "update":
        catalogs.update()
        return 0
    found = catalogs.problems()
    for problem in found:
        print(problem, file=sys.stderr)
    if not found:
        print(f"catalogs: template in sync; {', '.join(i18n.SUPPORTED_LOCALES)} complete")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
