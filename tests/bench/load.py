"""One load run: a bot process, a fresh fake Bot API, N owners at once, and what it cost.

Measured per run: start-up (launch → first getUpdates), updates/s over the whole run,
update→first-reply latency as the fake saw it, how long owners waited for a complete
answer, the bot's CPU per update and peak RSS (from /proc), calls per kind, and what the
load generator itself (fake server and owners, one Python process) spent per call.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench.fakeserver import POLL, InstrumentedBotAPI, Measurements, Sent
from tests.bench.owners import CAST, Owner, Pace
from tests.bench.processes import TOKEN, running, wait_until_polling
from tests.fakebotapi import FloodLimits

FIRST_USER_ID = 10_001
#: Longest a whole run may take before it is called failed.
RUN_TIMEOUT = 300.0

Script = Callable[[Owner, int], Awaitable[None]]
"""What owner number ``i`` does in a run."""


@dataclass(frozen=True)
class LoadResult:
    users: int
    updates: int
    seconds: float
    startup: float  # launch → first getUpdates, s
    measured: Measurements  # the fake's view: latencies, calls
    waits: list[float]  # owner's action → complete answer, s
    bot_cpu: float  # CPU seconds the bot used during the load
    peak_rss_mb: float
    rss_mb: float  # at the end of the run
    generator_cpu: float  # CPU seconds of this process (fake + owners) during the load
    sent: dict[int, list[Sent]]  # what each chat sent, to replay elsewhere
    log_problems: int  # warnings and errors the bot logged during the run
    joins: list[float] = field(default_factory=list)  # owner's /start → first question, s
    taps: list[float] = field(default_factory=list)  # owner's later actions → answer, s
    refusals: int = 0  # 429s the fake's flood limits sent

    @property
    def updates_per_s(self) -> float:
        return self.updates / self.seconds

    @property
    def bot_cpu_ms_per_update(self) -> float:
        return 1000 * self.bot_cpu / self.updates

    @property
    def calls(self) -> int:
        """Every Bot API call the bot made during the run."""
        return sum(self.measured.calls.values())

    @property
    def replies(self) -> int:
        """Every call but the long poll."""
        return self.calls - self.measured.calls[POLL]


def audit_script(owner: Owner, index: int) -> Awaitable[None]:
    """Owner ``index`` takes the whole audit as seed persona ``index % 4``."""
    return owner.take_audit(CAST[index % len(CAST)][1])


def replay_script(sent: dict[int, list[Sent]]) -> Script:
    """Owner ``index`` sends what owner ``index`` sent in an earlier run."""
    return lambda owner, index: owner.replay(sent[FIRST_USER_ID + index])


def run_load(
    command: Sequence[str],
    db_path: Path,
    users: int,
    script: Script,
    env: Mapping[str, str] | None = None,
    pace: Pace | None = None,
    limits: FloodLimits | None = None,
) -> LoadResult:
    """Start the bot (``env`` added to its environment), let ``users`` owners run ``script``
    concurrently (at ``pace``, else flat out), stop the bot. With ``limits`` the fake keeps
    Telegram's flood limits."""
    with (
        InstrumentedBotAPI(token=TOKEN) as server,
        running(command, server, db_path, env) as process,
    ):
        startup = wait_until_polling(process, server)
        people = [
            server.user(FIRST_USER_ID + i, f"Owner {i}", language_code=CAST[i % len(CAST)][0])
            for i in range(users)
        ]
        server.reset_measurements()
        if limits is not None:
            server.limit_floods(limits)
        owners = [Owner(server, person, pace) for person in people]
        cpu_before, generator_before = process.cpu_seconds(), time.process_time()
        started = time.perf_counter()
        asyncio.run(_together(server, owners, script))
        seconds = time.perf_counter() - started
        bot_cpu = process.cpu_seconds() - cpu_before
        generator_cpu = time.process_time() - generator_before
        peak_rss, rss = process.peak_rss_mb(), process.rss_mb()
        log_problems = sum(
            1 for line in process.log().splitlines() if " WARNING " in line or " ERROR " in line
        )
    return LoadResult(
        users=users,
        updates=sum(len(sent) for sent in server.sent.values()),
        seconds=seconds,
        startup=startup,
        measured=server.measured,
        waits=[wait for owner in owners for wait in owner.waits],
        bot_cpu=bot_cpu,
        peak_rss_mb=peak_rss,
        rss_mb=rss,
        generator_cpu=generator_cpu,
        sent=dict(server.sent),
        log_problems=log_problems,
        joins=[owner.waits[0] for owner in owners if owner.waits],
        taps=[wait for owner in owners for wait in owner.waits[1:]],
        refusals=sum(server.flood_refusals.values()),
    )


async def _together(server: InstrumentedBotAPI, owners: list[Owner], script: Script) -> None:
    server.attach(asyncio.get_running_loop())
    runs = (script(owner, index) for index, owner in enumerate(owners))
    await asyncio.wait_for(asyncio.gather(*runs), RUN_TIMEOUT)
