"""Canasta's benchmark: ``python -m tests.bench`` (see docs/BENCHMARKS.md).

It runs the real bot as a process against a fake Bot API on 127.0.0.1 with simulated owners
taking the whole audit, the same traffic against a bare python-telegram-bot echo bot, and
times plan rendering, storage at 10,000 audits, memory and start-up. No module here is named
``test_*``: pytest never collects the benchmark.
"""
