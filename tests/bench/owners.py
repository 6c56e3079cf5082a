"""Simulated owners: each takes the whole audit in their private chat, as fast as the bot lets.

An owner is a closed loop with no think time: act (tap a button or type), wait until the
bot's answer is complete in their chat (the next question, a ticked option, or the plan),
act again. Fifty of them at once keep the bot saturated, so the run measures its capacity.
Owners read the question from the buttons' callback data, not from translated text, so
each persona answers in their own language (the seed owners: en, en, fr and pl).

With a ``Pace`` an owner pauses before each action, as a person reading the question
would, and stops when the pace's time is up: the load a room of real owners puts on a bot.

``replay`` sends another bot exactly the updates an earlier run's owner sent, one at a time,
each after the bot's one reply: the same traffic for the echo bot.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from bot import dialog
from bot.telegram.callback_data import (
    CHOOSE,
    DONE,
    PICK,
    SKIP,
    TICK,
    AnswerButton,
    PlanButton,
    decode,
)
from tests.bench.fakeserver import InstrumentedBotAPI, Keyboard, Sent
from tests.fakebotapi import FakeUser
from tests.personas import PERSONAS

#: Longest wait for the bot's answer to one action before the run is called failed.
REPLY_TIMEOUT = 60.0
AUDIT = dialog.load()
#: (locale, answers) of the seed owners; owner ``i`` plays persona ``i % 4``.
CAST = [(persona.locale, persona.answers) for persona in PERSONAS.values()]


@dataclass(frozen=True)
class Pace:
    """Human speed: a pause of ``low``–``high`` s before each action, for ``seconds`` in all;
    with ``arrivals``, each owner first waits 0–``arrivals`` s (a hall joining as the link
    goes round)."""

    low: float
    high: float
    seconds: float
    arrivals: float = 0.0

    @property
    def mean_pause(self) -> float:
        return (self.low + self.high) / 2


class OutOfTime(Exception):
    """The paced owner's time is up."""


class Owner:
    """One owner and their chat; ``waits`` collects action → complete-answer times (s), the
    first one for /start."""

    def __init__(
        self, server: InstrumentedBotAPI, user: FakeUser, pace: Pace | None = None
    ) -> None:
        self.server = server
        self.user = user
        self.pace = pace
        self.waits: list[float] = []
        self._random = random.Random(user.id)
        self._deadline = float("inf")

    async def _act(self, action: Callable[[], object], done: Callable[[], bool]) -> None:
        if self.pace is not None:
            await asyncio.sleep(self._random.uniform(self.pace.low, self.pace.high))
            if time.perf_counter() > self._deadline:
                raise OutOfTime
        started = time.perf_counter()
        action()
        await self.server.until(self.user.id, done, REPLY_TIMEOUT)
        self.waits.append(time.perf_counter() - started)

    async def _next_prompt(self, action: Callable[[], object], after: int) -> Keyboard:
        """Act, then wait for a question or plan message newer than message ``after``."""

        def arrived() -> bool:
            keyboard = self.server.newest_keyboard(self.user.id)
            return keyboard is not None and keyboard.message_id > after and _is_prompt(keyboard)

        await self._act(action, arrived)
        keyboard = self.server.newest_keyboard(self.user.id)
        assert keyboard is not None
        return keyboard

    async def _tick(self, keyboard: Keyboard, data: str) -> Keyboard:
        """Tick one option: the bot redraws the same message."""

        def redrawn() -> bool:
            newest = self.server.newest_keyboard(self.user.id)
            return newest is not None and newest.edits > keyboard.edits

        await self._act(lambda: self.user.press_data(keyboard.message_id, data), redrawn)
        newest = self.server.newest_keyboard(self.user.id)
        assert newest is not None
        return newest

    async def take_audit(self, answers: dict[str, Any]) -> None:
        """/start, answer every question asked, return once the plan has arrived (or, paced,
        once the time is up)."""
        if self.pace is not None:
            self._deadline = time.perf_counter() + self.pace.seconds
            await asyncio.sleep(self._random.uniform(0, self.pace.arrivals))
        try:
            await self._take_audit(answers)
        except OutOfTime:
            return

    async def _take_audit(self, answers: dict[str, Any]) -> None:
        keyboard = await self._next_prompt(lambda: self.user.send("/start"), after=0)
        while True:
            buttons = {data: decode(data) for data in keyboard.callback_data}
            if any(isinstance(button, PlanButton) for button in buttons.values()):
                return
            by_verb = {
                (button.verb, button.option): data
                for data, button in buttons.items()
                if isinstance(button, AnswerButton)
            }
            question_id = next(
                button.question_id
                for button in buttons.values()
                if isinstance(button, AnswerButton)
            )
            keyboard = await self._answer(keyboard, by_verb, question_id, answers.get(question_id))

    async def _answer(
        self,
        keyboard: Keyboard,
        by_verb: dict[tuple[str, str], str],
        question_id: str,
        value: Any,
    ) -> Keyboard:
        question = AUDIT.question(question_id)
        assert question is not None, question_id

        def press(verb: str, option: str = "") -> Callable[[], object]:
            data = by_verb[(verb, option)]
            return lambda: self.user.press_data(keyboard.message_id, data)

        after = keyboard.message_id
        if (PICK, "r0") in by_verb:  # a number that reads two ways: take the first reading
            return await self._next_prompt(press(PICK, "r0"), after)
        if value is None:
            return await self._next_prompt(press(SKIP), after)
        if question.type == "yesno":
            return await self._next_prompt(press(CHOOSE, "yes" if value else "no"), after)
        if question.type == "single":
            return await self._next_prompt(press(CHOOSE, str(value)), after)
        if question.type == "multi":
            for option in value:
                keyboard = await self._tick(keyboard, by_verb[(TICK, option)])
            return await self._next_prompt(press(DONE), after)
        return await self._next_prompt(lambda: self.user.send(str(value)), after)

    async def replay(self, sent: list[Sent]) -> None:
        """Send ``sent`` in order, each once the bot has replied to the one before."""
        for item in sent:
            await self._send_again(item)

    async def _send_again(self, item: Sent) -> None:
        chat_id = self.user.id
        before = self.server.bot_sends(chat_id)
        action: Callable[[], object]
        if item.kind == "message":
            action = partial(self.user.send, item.content)
        else:
            message_id = self.server.last_bot_message_id(chat_id)
            action = partial(self.user.press_data, message_id, item.content)
        await self._act(action, lambda: self.server.bot_sends(chat_id) > before)


def _is_prompt(keyboard: Keyboard) -> bool:
    """A question's keyboard or the plan's (not, say, the welcome's language buttons)."""
    return any(
        isinstance(decode(data), AnswerButton | PlanButton) for data in keyboard.callback_data
    )
