"""Print today's plan next to the casebook's expectations, one line per case.

    python -m tests.casebook_report            # a table: expected first moves, today's first five
    python -m tests.casebook_report --full     # and each plan's whole list, with each value

Used to write tests/CASEBOOK.md and to watch the gap close as the plan's ranking improves.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bot.interview import Interview
from bot.store import Store
from tests.casebook import CASES
from tests.test_casebook import CONTENT, case_plan_actions


def main(full: bool = False) -> None:
    print("| case | lang | adviser's top three | today's first five | verdict |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "casebook.db")
        try:
            interview = Interview(CONTENT.dialog, store, CONTENT.rules)
            for case in CASES:
                planned = case_plan_actions(interview, case)
                actions = [action.rule.id for action in planned]
                missing = [a for a in case.top_three if a not in actions[:3]]
                unwanted = [a for a in case.never if a in actions]
                verdict = (
                    "ok"
                    if not (missing or unwanted)
                    else "; ".join(
                        part
                        for part in (
                            missing and "not in first three: " + ", ".join(missing),
                            unwanted and "must not appear: " + ", ".join(unwanted),
                        )
                        if part
                    )
                )
                print(
                    f"| {case.name} | {case.locale} | {', '.join(case.top_three)} "
                    f"| {', '.join(actions[:5])} | {verdict} |"
                )
                if full:
                    valued = ", ".join(f"{a.rule.id} ({a.value:.1f})" for a in planned)
                    print(f"|   | | | all: {valued} | |")
        finally:
            store.close()


if __name__ == "__main__":
    main(full="--full" in sys.argv[1:])
