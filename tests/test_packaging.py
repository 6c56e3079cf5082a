"""An installed wheel (not the checkout) finds its audit, rules and catalogs.

A wheel missing its compiled catalogs once shipped silently empty: English everywhere. The wheel
is built from this checkout and installed into a folder of its own; the check runs from another
folder, so nothing can fall back to the checkout's files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHECK = """
import bot, bot.dialog, bot.rules
from bot.i18n import load_all, translator
assert bot.__file__.startswith(SITE), bot.__file__
load_all()
audit = bot.dialog.load()
bot.rules.load(audit)
print(translator("pl").gettext("Don't know"))
print(translator("pl").ngettext("This week: %(num)s action.", "This week: %(num)s actions.", 5))
"""


def test_the_installed_wheel_speaks_polish(tmp_path: Path) -> None:
    dist, site = tmp_path / "dist", tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(dist), str(ROOT)], check=True)
    wheel = next(dist.glob("canasta-*.whl"))
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True)
    result = subprocess.run(
        [sys.executable, "-c", f"SITE = {str(site)!r}\n{CHECK}"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    dont_know, plural = result.stdout.splitlines()
    assert dont_know == "Nie wiem"
    assert plural.startswith("W tym tygodniu") and "działań" in plural
