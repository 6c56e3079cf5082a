"""The audit and the plan rules the bot runs on, loaded and checked together.

`dialog.load` and `rules.load` each validate their own file; this adds what only the pair and
the code can tell: that the ids the code reads by name exist (`audit_ids`), and that every
country option is a market of `dialogs/markets.yaml` and every market a country option. Every
front end and command loads through here, so a broken edit stops the start with a message
naming the id.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot import audit_ids, dialog, markets, rules
from bot.dialog import Dialog
from bot.errors import DialogError
from bot.resources import data_dir
from bot.rules import Rules


@dataclass(frozen=True)
class Content:
    dialog: Dialog
    rules: Rules


def load(audit_path: Path | None = None, actions_path: Path | None = None) -> Content:
    """Load and check everything; raise DialogError naming each problem."""
    audit_path = audit_path or data_dir("dialogs") / "audit.yaml"
    audit = dialog.load(audit_path)
    audit_ids.check(audit, str(audit_path))
    found = markets.problems(audit, markets.table())
    if found:
        raise DialogError(f"{audit_path}:\n  " + "\n  ".join(found))
    return Content(audit, rules.load(audit, actions_path))
