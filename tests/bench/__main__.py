"""``python -m tests.bench``: run the benchmark, print the table, write docs/BENCHMARKS.md."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from tests.bench.owners import Pace
from tests.bench.processes import ROOT
from tests.bench.report import markdown, text_table
from tests.bench.suite import Options, run_suite

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
    args = parser.parse_args(argv)
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

    results = run_suite(chosen, say)
    print(text_table(results))
    if output is not None:
        output.write_text(markdown(results), encoding="utf-8")
        say(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
