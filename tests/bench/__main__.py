"""``python -m tests.bench``: run the benchmark, print the table, write docs/BENCHMARKS.md."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from tests.bench import hall_report
from tests.bench.hall import OWNERS, PACE
from tests.bench.owners import Pace
from tests.bench.processes import ROOT
from tests.bench.report import markdown, text_table
from tests.bench.suite import Options, run_hall_only, run_suite

DEFAULT_OUTPUT = ROOT / "docs" / "BENCHMARKS.md"


def options(argv: Sequence[str] | None = None) -> tuple[Options, Path | None]:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench", description="Canasta's benchmark (see docs/BENCHMARKS.md)."
    )
    parser.add_argument("--users", type=int, help="owners at once (default 50; quick: 5)")
    parser.add_argument("--runs", type=int, help="repetitions of each figure (default 3; quick: 1)")
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    parser.add_argument(
        "--output",
        type=Path,
        help=f"the Markdown report (default {DEFAULT_OUTPUT.relative_to(ROOT)}; quick: none)",
    )
    parser.add_argument(
        "--hall-only", action="store_true", help="only the hall; rewrites only its section"
    )
    parser.add_argument("--no-hall", action="store_true", help="everything but the hall")
    parser.add_argument(
        "--hall-owners",
        type=lambda text: tuple(int(part) for part in text.split(",")),
        help="owners at once in the hall, comma-separated (default 25,50,100,150,200)",
    )
    parser.add_argument("--hall-seconds", type=float, help="length of a hall run (default 120)")
    parser.add_argument("--hall-runs", type=int, help="repetitions of each hall run (default 3)")
    args = parser.parse_args(argv)
    chosen, output = _chosen(args)
    seconds = args.hall_seconds or (15 if args.quick else PACE.seconds)
    # The hall joins over the first quarter of a run at most (30 s of the 2 minutes).
    hall_pace = replace(PACE, seconds=seconds, arrivals=min(PACE.arrivals, seconds / 4))
    hall_owners = args.hall_owners or ((10,) if args.quick else OWNERS)
    return replace(
        chosen,
        hall_owners=() if args.no_hall else hall_owners,
        hall_pace=hall_pace,
        hall_runs=args.hall_runs or chosen.runs,
        hall_only=args.hall_only,
    ), output


def _chosen(args: argparse.Namespace) -> tuple[Options, Path | None]:
    if args.quick:
        chosen = Options(
            users=args.users or 5,
            runs=args.runs or 1,
            pace=Pace(low=0.2, high=0.6, seconds=5),
            renders=5,
            small_audits=100,
            big_audits=1_000,
            cost_audits=2,
        )
        return chosen, args.output
    chosen = Options(
        users=args.users or 50,
        runs=args.runs or 3,
        pace=Pace(low=2, high=6, seconds=30),
        renders=50,
        small_audits=100,
        big_audits=10_000,
        cost_audits=8,
    )
    return chosen, args.output or DEFAULT_OUTPUT


def main(argv: Sequence[str] | None = None) -> int:
    chosen, output = options(argv)
    started = time.monotonic()

    def say(text: str) -> None:
        print(f"[{time.monotonic() - started:5.0f} s] {text}", file=sys.stderr, flush=True)

    if chosen.hall_only:
        halls = run_hall_only(chosen, say)
        print("\n".join(hall_report.section(halls)))
        if output is not None:
            hall_report.write(halls, output)
            say(f"rewrote the hall's section of {output}")
        return 0
    results = run_suite(chosen, say)
    print(text_table(results))
    if output is not None:
        output.write_text(markdown(results), encoding="utf-8")
        if results.hall is not None:
            (output.parent / hall_report.CHART).write_bytes(hall_report.chart(results.hall))
        say(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
