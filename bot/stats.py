"""Anonymous figures for a network of owners (`canasta stats`): audits finished per month, the
median score per area, the most common actions, optionally by country answer and language.

Privacy rule: no figure describes fewer than `MIN_GROUP` audits. A group (a month, a country, a
language, or a combination) with fewer finished audits is left out entirely, and so is an
action taken by fewer than `MIN_GROUP` of a group's owners. Only what `results`,
`result_scores` and `result_actions` hold is read: never a name, an answer or a money figure.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from statistics import median
from typing import Any

MIN_GROUP = 5
TOP_ACTIONS = 10
DIMENSIONS = {"country": "country", "language": "locale"}  # --by name → results column
UNKNOWN = "unknown"
CSV_COLUMNS = ("table", "month", "country", "language", "area", "action", "audits", "value")


def figures(
    results: list[dict[str, Any]],
    scores: list[dict[str, Any]],
    actions: list[dict[str, Any]],
    by: Sequence[str] = (),
    min_group: int = MIN_GROUP,
    top: int = TOP_ACTIONS,
) -> dict[str, Any]:
    """The three tables, every row describing at least `min_group` audits."""
    dims = [name for name in DIMENSIONS if name in by]

    def group_of(row: dict[str, Any]) -> tuple[str, ...]:
        return tuple(str(row[DIMENSIONS[name]] or UNKNOWN) for name in dims)

    def labelled(group: tuple[str, ...]) -> dict[str, str]:
        return dict(zip(dims, group, strict=True))

    group = {row["audit_id"]: group_of(row) for row in results}
    members: dict[tuple[str, ...], int] = Counter(group.values())
    large = {key for key, size in members.items() if size >= min_group}

    per_month: Counter[tuple[str, tuple[str, ...]]] = Counter(
        (row["finished_month"], group[row["audit_id"]]) for row in results
    )
    finished = [
        {"month": month, **labelled(key), "audits": count}
        for (month, key), count in sorted(per_month.items())
        if count >= min_group
    ]

    by_area: dict[tuple[tuple[str, ...], str], list[int]] = defaultdict(list)
    for row in scores:
        key = group.get(row["audit_id"])
        if key in large and row["score"] is not None:
            by_area[(key, row["area"])].append(int(row["score"]))
    medians = [
        {**labelled(key), "area": area, "audits": len(values), "median": median(values)}
        for (key, area), values in sorted(by_area.items())
        if len(values) >= min_group
    ]

    taken: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for row in actions:
        key = group.get(row["audit_id"])
        if key in large:
            taken[key][row["action_id"]] += 1
    common = [
        {
            **labelled(key),
            "action": action,
            "audits": count,
            "share": round(count / members[key], 3),
        }
        for key in sorted(taken)
        for action, count in taken[key].most_common(top)
        if count >= min_group
    ]
    return {
        "min_group": min_group,
        "by": dims,
        "finished_per_month": finished,
        "median_scores": medians,
        "common_actions": common,
    }


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def as_csv(data: dict[str, Any]) -> str:
    """One long table: a `table` column says which of the three a row belongs to; `value` is
    the median score or the share of owners given the action."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for table, value in (
        ("finished_per_month", None),
        ("median_scores", "median"),
        ("common_actions", "share"),
    ):
        for row in data[table]:
            writer.writerow({**row, "table": table, "value": row.get(value) if value else ""})
    return buffer.getvalue()
