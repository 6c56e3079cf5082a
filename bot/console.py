"""The audit in a terminal: numbered options, typed answers, the same store as Telegram.

Also scriptable: with answers piped in, one per line (`2`, `1,3`, `600 000`, `back`, `skip`),
facilitators and tests can run a whole audit without a keyboard.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO

from bot import calendar, pdf, render
from bot.dialog import InputError
from bot.i18n import N_, Translator
from bot.interview import Interview, Outcome, Prompt
from bot.planview import PlanView, plan_view
from bot.prompt import NOT_ANSWERED
from bot.store import Audit

# Typed commands; each also works in the owner's language.
QUIT, BACK, SKIP = N_("quit"), N_("back"), N_("skip")
# Choices shown as numbered lists (the same words as the Telegram buttons).
SEE_PLAN, TAKE_AGAIN = N_("📋 See my plan"), N_("🔁 Take the audit again")
TICK_DONE = N_("☑ Tick what I have done")
CHANGE_ANSWER = N_("✏ Change one answer")
CHECKUP = N_("🔄 Check-up: the same questions, from my last answers")
CHECKUP_START = N_(
    "A check-up: the same questions, each with your last answer. Press Enter when nothing "
    "changed; at the end you see what moved."
)
# A check-up's question: Enter alone keeps the last answer (Telegram's "✔ Still true").
ENTER, STILL_TRUE = N_("Enter"), N_("✔ Still true")
# A mark typed in the terminal: the action's number and d, z, x or o ("2d").
MARK_TYPED = re.compile(r"([0-9]{1,2})\s*([dzxo])")
TYPED_MARKS = {"d": "done", "z": "snoozed", "x": "dropped", "o": None}
START_OVER, CARRY_ON = N_("Yes, start over"), N_("No, carry on")


class ConsoleAudit:
    def __init__(
        self,
        interview: Interview,
        translator: Translator,
        respondent_id: str,
        stdin: TextIO,
        stdout: TextIO,
    ) -> None:
        self.interview = interview
        self.t = translator
        self.respondent_id = respondent_id
        self.stdin = stdin
        self.stdout = stdout

    def run(
        self, restart: bool = False, pdf_path: Path | None = None, ics_path: Path | None = None
    ) -> int:
        outcome = self._restart() if restart else self._enter(pdf_path, ics_path)
        if outcome is None:
            return 0
        self.say(self.t.gettext("Type the number of an answer. Also: back, skip, quit."))
        while outcome.prompt is not None:
            if outcome.readings:
                self.show_readings(outcome)
            else:
                self.show(outcome.prompt)
            line = self.stdin.readline()
            command = self._command(line.strip()) if line else QUIT
            if command == QUIT:  # or end of input: everything answered so far is stored
                self.say(self.t.gettext("Your answers are saved. Run me again to continue."))
                return 0
            prompt = outcome.prompt
            if outcome.readings and line.strip() in ("1", "2"):
                outcome = self.interview.pick(
                    self.respondent_id, prompt.audit_id, prompt.question.id, int(line) - 1
                )
                continue
            outcome = self.act(prompt, line.strip(), command)
            if outcome.error:
                self.say("! " + render.error_text(outcome.error, self.t))
            recorded = outcome.recorded
            if recorded is not None and recorded.range is not None:  # say which figure we took
                self.say(
                    "✔ "
                    + render.answer_words(
                        recorded.question,
                        recorded.value,
                        self.t,
                        recorded.situation,
                        recorded.range,
                    )
                )
        audit = outcome.finished
        if audit is not None:
            self._show_plan(audit, pdf_path, ics_path, just_finished=True)
        return 0

    def _enter(self, pdf_path: Path | None, ics_path: Path | None) -> Outcome | None:
        """The same arrival as /start on Telegram: continue, or see the plan, or start again."""
        entry = self.interview.enter(self.respondent_id, self.t.locale)
        if entry.outcome is not None:
            self.say(
                self.t.gettext("Welcome back! Let's continue where you left off.")
                if entry.resumed
                else self.t.gettext(
                    "Welcome to Canasta. A few minutes of questions, then your answers are saved."
                )
            )
            return entry.outcome
        assert entry.finished is not None
        finished = entry.finished
        self.say(
            self.t.gettext("You finished your audit on %(date)s.")
            % {"date": self.t.date(finished.finished_at or finished.started_at)}
        )
        choice = self._menu(SEE_PLAN, TICK_DONE, CHANGE_ANSWER, CHECKUP, TAKE_AGAIN)
        if choice == SEE_PLAN:
            self._show_plan(finished, pdf_path, ics_path)
            return None
        if choice == TICK_DONE:
            self._checklist(finished)
            return None
        if choice == CHANGE_ANSWER:
            return self._change_answer()
        if choice == CHECKUP:
            outcome = self.interview.checkup(self.respondent_id, self.t.locale)
            self.say(self.t.gettext(CHECKUP_START))
            return outcome
        if choice == TAKE_AGAIN:
            return self._restart()
        return None

    def _change_answer(self) -> Outcome | None:
        """The finished audit's answers, numbered: the one typed is asked again (/answers)."""
        answered = self.interview.answered(self.respondent_id)
        assert answered is not None  # only offered with a finished audit
        self.say(render.answers_list(answered.answers, answered.situation, self.t, text=True))
        self.stdout.write("> ")
        self.stdout.flush()
        typed = self.stdin.readline().strip()
        if not (typed.isascii() and typed.isdigit() and 1 <= int(typed) <= len(answered.answers)):
            return None
        question, _ = answered.answers[int(typed) - 1]
        return self.interview.revise(self.respondent_id, self.t.locale, question.id)

    def _checklist(self, audit: Audit) -> None:
        """Mark actions done, a week later or not for me, one typed line ("2d") at a time."""
        while True:
            latest = self.interview.latest_plan(self.respondent_id)
            assert latest is not None
            plan = latest[1]
            self.say(render.checklist_text(plan_view(plan, self.t)))
            self.stdout.write("> ")
            self.stdout.flush()
            typed = self.stdin.readline().strip().lower()
            if not typed or self._command(typed) == QUIT:
                return
            found = MARK_TYPED.fullmatch(typed)
            number = int(found.group(1)) if found else 0
            if found is None or not 1 <= number <= len(plan.actions):
                self.say("! " + self.t.gettext(N_("Type it like 2d.")))
                continue
            action = plan.actions[number - 1].rule.id
            self.interview.mark(self.respondent_id, audit.id, action, TYPED_MARKS[found.group(2)])

    def _restart(self) -> Outcome | None:
        """Start again; answers of an audit under way are set aside only once confirmed."""
        outcome = self.interview.request_restart(self.respondent_id, self.t.locale)
        if outcome.confirm_restart is None:
            return outcome
        self.say(self.t.gettext("Start the audit again from the first question?"))
        confirmed = self._menu(START_OVER, CARRY_ON) == START_OVER
        return self.interview.confirm_restart(
            self.respondent_id, self.t.locale, outcome.confirm_restart, confirmed
        )

    def _menu(self, *choices: str) -> str | None:
        """Numbered choices; the one typed, or None (quit, end of input, anything else)."""
        for number, label in enumerate(choices, start=1):
            self.say(f"  {number}. {self.t.gettext(label)}")
        self.stdout.write("> ")
        self.stdout.flush()
        typed = self.stdin.readline().strip()
        if typed.isascii() and typed.isdigit() and 1 <= int(typed) <= len(choices):
            return choices[int(typed) - 1]
        return None

    def _show_plan(
        self,
        audit: Audit,
        pdf_path: Path | None,
        ics_path: Path | None,
        just_finished: bool = False,
    ) -> None:
        view = plan_view(self.interview.plan(audit), self.t)
        self.say("\n" + render.plan_text(view, just_finished=just_finished))
        self._write_files(audit.id, view, pdf_path, ics_path)

    def _write_files(
        self, audit_id: int, view: PlanView, pdf_path: Path | None, ics_path: Path | None
    ) -> None:
        if pdf_path:
            pdf_path.write_bytes(pdf.render_pdf(view))
            self.say(self.t.gettext("Your plan as a PDF: %(path)s") % {"path": pdf_path})
        if ics_path:
            ics_path.write_bytes(calendar.render_ics(view, f"audit-{audit_id}"))
            self.say(
                self.t.gettext("Your deadlines as a calendar file: %(path)s") % {"path": ics_path}
            )

    def show(self, prompt: Prompt) -> None:
        lines = ["", render.prompt_text(prompt, self.t)]
        question = prompt.question
        for number, label in enumerate(self._labels(prompt), start=1):
            lines.append(f"  {number}. {label}")
        if question.type == "multi":
            lines.append(
                "  " + self.t.gettext("(several: type the numbers separated by commas, e.g. 1,3)")
            )
        if self._can_keep(prompt):
            lines.append(f"  {self.t.gettext(ENTER)}. {self.t.gettext(STILL_TRUE)}")
        if prompt.can_skip:
            skip = (
                self.t.gettext("Don't know")
                if question.skip == "dont_know"
                else self.t.gettext("Skip")
            )
            lines.append(f"  {self.t.gettext(SKIP)}. {skip}")
        self.say("\n".join(lines))
        self.stdout.write("> ")
        self.stdout.flush()

    def show_readings(self, outcome: Outcome) -> None:
        assert outcome.prompt is not None
        question = outcome.prompt.question
        lines = [render.readings_question(question, outcome.readings, self.t)]
        for number, value in enumerate(outcome.readings, start=1):
            lines.append(f"  {number}. {render.describe(question, value, self.t)}")
        self.say("\n".join(lines))
        self.stdout.write("> ")
        self.stdout.flush()

    def act(self, prompt: Prompt, text: str, command: str | None) -> Outcome:
        me, audit, question = self.respondent_id, prompt.audit_id, prompt.question
        if command == BACK:
            return self.interview.back(me, audit, question.id)
        if command == SKIP:
            return self.interview.skip(me, audit, question.id)
        if not text and self._can_keep(prompt):
            return self.interview.keep(me, audit, question.id)
        if question.type in ("number", "money", "text"):
            return self.interview.answer_text(me, text, self.t.locale) or Outcome()
        picked = self._picked(prompt, text)
        if picked is None:
            return Outcome(
                prompt=prompt, error=InputError(N_("Type the number of an option, e.g. 2."))
            )
        if question.type == "multi":
            return self.interview.submit_selection(me, audit, question.id, picked)
        if len(picked) != 1:
            return Outcome(prompt=prompt, error=InputError(N_("Choose just one: type one number.")))
        return self.interview.choose(me, audit, question.id, picked[0])

    @staticmethod
    def _can_keep(prompt: Prompt) -> bool:
        """A check-up's question with a last answer to keep."""
        return prompt.review and prompt.previous is not NOT_ANSWERED

    def _labels(self, prompt: Prompt) -> list[str]:
        question = prompt.question
        if question.type == "yesno":
            return [self.t.gettext("Yes"), self.t.gettext("No")]
        shown = question.options_for(self.t.locale)
        return [render.option_words(option.text, self.t, prompt.situation) for option in shown]

    def _picked(self, prompt: Prompt, text: str) -> list[str] | None:
        """Option ids from "2" or "1,3"; None when the text is not such a list."""
        question = prompt.question
        ids = (
            ["yes", "no"]
            if question.type == "yesno"
            else [o.id for o in question.options_for(self.t.locale)]
        )
        numbers = text.replace(",", " ").replace(";", " ").split()
        if not numbers or not all(
            n.isascii() and n.isdigit() and 1 <= int(n) <= len(ids) for n in numbers
        ):
            return None
        return [ids[int(n) - 1] for n in numbers]

    def _command(self, text: str) -> str | None:
        lowered = text.lower()
        for command in (QUIT, BACK, SKIP):
            if lowered in (command, self.t.gettext(command).lower()):
                return command
        return None

    def say(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()
