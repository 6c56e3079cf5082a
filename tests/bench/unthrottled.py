"""Canasta's own ``bot run``, with PTB's flood limiter still in the call path but unlimited.

As shipped, every call that names a chat waits for PTB's ``AIORateLimiter`` (30 calls/s,
Telegram's broadcast limit), so a load test of the shipped bot measures the limiter, not
the code. This entry point runs the very same application, except that every
``AIORateLimiter`` (or subclass) is built with its rates set to 0, "no limit", which is
what the fake Bot API allows; retries after errors still work. Telegram's limit is then
applied on paper, in the report's "Scale" section.

Run as ``python -m tests.bench.unthrottled`` with the same environment as ``python -m bot``;
the profiled run also sets the variables of ``tests.bench.instrument``.
"""

from __future__ import annotations

import inspect
import os
import sys
from pathlib import Path
from typing import Any

from telegram.ext import AIORateLimiter

from bot.__main__ import main
from tests.bench import instrument

_limited_init = AIORateLimiter.__init__


def _unlimited_init(self: AIORateLimiter, *args: Any, **kwargs: Any) -> None:
    """``AIORateLimiter.__init__`` with whatever rates were asked for replaced by 0."""
    bound = inspect.signature(_limited_init).bind(self, *args, **kwargs)
    bound.arguments.update(overall_max_rate=0, group_max_rate=0)
    _limited_init(*bound.args, **bound.kwargs)


if __name__ == "__main__":
    if os.environ.get(instrument.SQL_ENV):
        instrument.count_sql(Path(os.environ[instrument.SQL_ENV]))
    if os.environ.get(instrument.PROFILE_ENV):
        instrument.profile_serving(Path(os.environ[instrument.PROFILE_ENV]))
    AIORateLimiter.__init__ = _unlimited_init  # type: ignore[method-assign]
    sys.exit(main(["run"]))
