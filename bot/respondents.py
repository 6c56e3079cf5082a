"""The people who answer: which language they read, and erasing them on request.

Front ends name a respondent by an id of their own (`tg:<user id>`, `console:<name>`) and ask
here, rather than the store, so that every front end follows the same rules.
"""

from __future__ import annotations

from bot.i18n import SUPPORTED_LOCALES, negotiate
from bot.store import Store


class Respondents:
    def __init__(self, store: Store, default_locale: str) -> None:
        self.store = store
        self.default_locale = default_locale

    def locale(self, respondent_id: str, language_code: str | None = None) -> str:
        """The language they chose, else the one their app or system reports, else the default."""
        stored = self.store.respondent_locale(respondent_id)
        if stored is not None and stored in SUPPORTED_LOCALES:
            return stored
        return negotiate(language_code, self.default_locale)

    def offer_languages(self, respondent_id: str, locale: str) -> None:
        """They asked to choose a language: from now on they are someone whose choice is kept."""
        if self.store.respondent_locale(respondent_id) is None:
            self.store.save_respondent(respondent_id, locale)

    def set_locale(self, respondent_id: str, locale: str) -> bool:
        """Remember the language they chose. False, and nothing stored, for a language we lack
        or a person we do not know: a language button pressed after /delete must not bring
        back a row about them."""
        if locale not in SUPPORTED_LOCALES or self.store.respondent_locale(respondent_id) is None:
            return False
        self.store.save_respondent(respondent_id, locale)
        return True

    def erase(self, respondent_id: str) -> None:
        """Everything stored about them goes (GDPR Art. 17); see `Store.erase`."""
        self.store.erase(respondent_id)
