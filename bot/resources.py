"""Where the audit data and the catalogs are, in a checkout and in an installed wheel."""

from pathlib import Path

import yaml

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def data_dir(name: str) -> Path:
    """Return the `dialogs` or `locales` folder.

    A wheel carries them in `bot/_data/`; a checkout (and an editable install) keeps them at the
    top of the repository, where consultants and translators edit them.
    """
    for candidate in (_PACKAGE / "_data" / name, _CHECKOUT / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"no {name}/ folder beside {_PACKAGE}")


TEMPLATES_DIR = _PACKAGE / "templates"

# The YAML files are read at every start: libyaml's safe loader, when PyYAML has it, reads
# them about ten times faster than the pure-Python one (the same documents, the same types).
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
