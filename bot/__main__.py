"""The `canasta` / `python -m bot` command line."""

from __future__ import annotations

import argparse
import getpass
import locale as system_locale
import logging
import os
import sys
from collections.abc import Sequence

from bot import catalogs, dialog, i18n
from bot.settings import Settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    command = args.command or "run"
    if command == "run":
        return _run(settings, args)
    if command == "console":
        return _console(settings, args)
    if command == "dialog":
        return _dialog(args)
    if command == "catalogs":
        return _catalogs(args)
    parser.error(f"unknown command {command}")
    return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="canasta",
        description="Canasta: audit how much a small business depends on one platform.",
    )
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run on Telegram (BOT_TOKEN), else in this terminal")
    console = sub.add_parser("console", help="take the audit in this terminal")
    for command in (run, console):
        command.add_argument("--lang", choices=i18n.SUPPORTED_LOCALES, help="language")
        command.add_argument("--id", help="who is answering (to resume later); default: you")
        command.add_argument("--restart", action="store_true", help="start a fresh audit")
    check = sub.add_parser("dialog", help="check the audit data or draw it")
    check.add_argument("action", choices=("check", "diagram"))
    translations = sub.add_parser("catalogs", help="update or check the translation catalogs")
    translations.add_argument("action", choices=("update", "check"))
    return parser


def _run(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.token:
        t = i18n.translator(_console_locale(settings, args))
        note = t.gettext(
            "No BOT_TOKEN is set, so Canasta runs the audit here in the terminal. "
            "To run it on Telegram, set BOT_TOKEN to the token @BotFather gave you."
        )
        print(note, file=sys.stderr)
        return _console(settings, args)
    from bot.telegram.app import run_bot  # the Telegram layer loads only when it is used

    run_bot(settings)
    return 0


def _console(settings: Settings, args: argparse.Namespace) -> int:
    from bot.console import ConsoleAudit
    from bot.interview import Interview
    from bot.store import Store

    locale = _console_locale(settings, args)
    i18n.load_all()
    store = Store(settings.database)
    try:
        audit = ConsoleAudit(
            Interview(dialog.load(), store),
            i18n.translator(locale),
            f"console:{args.id or getpass.getuser()}",
            sys.stdin,
            sys.stdout,
        )
        return audit.run(restart=args.restart)
    finally:
        store.close()


def _console_locale(settings: Settings, args: argparse.Namespace) -> str:
    """--lang, else the system's language, else DEFAULT_LOCALE."""
    system = system_locale.getlocale()[0] or os.environ.get("LANG")
    return args.lang or i18n.negotiate(system, settings.default_locale)


def _dialog(args: argparse.Namespace) -> int:
    from bot.diagram import mermaid, path_lengths

    audit = dialog.load()
    if args.action == "diagram":
        print(mermaid(audit))
        return 0
    shortest, longest = path_lengths(audit)
    print(
        f"dialogs/audit.yaml: {len(audit.questions)} questions, valid; "
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
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
