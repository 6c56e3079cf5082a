"""Canasta's own ``bot run``, with PTB's flood limiter still in the call path but unlimited.

As shipped, every call that names a chat waits for the sender (``bot.telegram.sending``:
Telegram's 30 calls/s and one a second per chat), so a load test of the shipped bot measures
the limits, not the code. This entry point runs the very same application, except that the
sender is built with no limits (``sending.UNLIMITED``), which is what the unlimited fake Bot
API allows; priorities and retries after errors still work. Telegram's limit is then applied
on paper, in the report's "Scale" section, and for real in the hall run.

Run as ``python -m tests.bench.unthrottled`` with the same environment as ``python -m bot``;
the profiled run also sets the variables of ``tests.bench.instrument``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bot.__main__ import main
from bot.telegram import sending
from tests.bench import instrument

if __name__ == "__main__":
    if os.environ.get(instrument.SQL_ENV):
        instrument.count_sql(Path(os.environ[instrument.SQL_ENV]))
    if os.environ.get(instrument.PROFILE_ENV):
        instrument.profile_serving(Path(os.environ[instrument.PROFILE_ENV]))
    sending.DEFAULT_LIMITS = sending.UNLIMITED
    sys.exit(main(["run"]))
