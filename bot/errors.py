"""The exception tree of Canasta.

    CanastaError
     ├── DialogError        dialogs/*.yaml is invalid (raised at load, names the question)
     ├── CatalogError       a gettext catalog is missing or broken (raised at start-up)
     └── StoreError         the database cannot be used (e.g. written by a newer version)

Bad input from a person is not an exception: the interview answers it with an `InputError`
value that the front end shows, translated.
"""


class CanastaError(Exception):
    """Base of every error Canasta raises on purpose."""


class DialogError(CanastaError):
    """The audit data is invalid; the message names the file and question."""


class CatalogError(CanastaError):
    """A translation catalog cannot be loaded."""


class StoreError(CanastaError):
    """The database is unusable by this version of Canasta."""
