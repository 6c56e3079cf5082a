"""What can be checked of the deployment files without a Docker engine: the Dockerfile's
sources exist, it runs the documented command as a non-root user with the database on a
volume, its HEALTHCHECK really asks /healthz (run here against a live health server), the
compose files parse and mount the database on a volume, and the systemd unit runs the same."""

from __future__ import annotations

import asyncio
import configparser
import json
import os
import re
import shlex
import sys
import tomllib
from pathlib import Path, PurePosixPath

import yaml

from bot.health import Health, HealthServer
from bot.store import Store

ROOT = Path(__file__).resolve().parent.parent


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n", " ", text)
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, arguments = line.partition(" ")
            found.append((instruction.upper(), arguments.strip()))
    return found


def instruction(name: str) -> list[str]:
    return [arguments for found, arguments in dockerfile() if found == name]


def exec_form(arguments: str) -> list[str]:
    words = json.loads(arguments)
    assert isinstance(words, list), "exec form, so that SIGTERM reaches the bot"
    return words


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for arguments in instruction("ENV"):
        for word in shlex.split(arguments):
            key, _, value = word.partition("=")
            env[key] = value
    return env


def test_the_image_copies_files_that_exist_and_installs_the_pinned_versions() -> None:
    for arguments in instruction("COPY"):
        words = [w for w in arguments.split() if not w.startswith("--")]
        for source in words[:-1]:
            assert (ROOT / source).exists(), f"COPY {source}: no such file in the checkout"
    (base,) = instruction("FROM")
    assert re.fullmatch(r"python:3\.1[1-9]-slim", base)
    install = next(run for run in instruction("RUN") if "pip install" in run)
    assert "-c constraints.txt" in install
    pins = {
        line.split("==")[0].lower().replace("_", "-")
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if "==" in line
    }
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {re.split(r"[\[<>=]", dep)[0].lower() for dep in project["dependencies"]}
    assert wanted - pins == set(), "constraints.txt lacks a runtime dependency"
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and "*.db" in ignored


def test_the_image_runs_the_documented_command_unprivileged_with_its_data_on_a_volume() -> None:
    (cmd,) = instruction("CMD")
    assert exec_form(cmd) == ["canasta", "run"]
    assert "canasta run" in (ROOT / "README.md").read_text(encoding="utf-8")
    (user,) = instruction("USER")
    assert user not in ("root", "0")
    database = PurePosixPath(image_env()["CANASTA_DB"])
    (volume,) = instruction("VOLUME")
    assert str(database.parent) in exec_form(volume)


async def test_the_healthcheck_asks_healthz(tmp_path: Path) -> None:
    (healthcheck,) = instruction("HEALTHCHECK")
    command = exec_form(healthcheck.split(" CMD ", 1)[1])
    assert command[0] == "canasta"
    executable = [sys.executable, "-m", "bot", *command[1:]]  # `canasta`, from this checkout
    store = Store(tmp_path / "c.db")
    health = Health(store.probe_write)
    health.alive = lambda: True
    server = HealthServer(health, "127.0.0.1", 0)
    port = await server.start()
    env = {**image_env(), **{k: v for k, v in os.environ.items() if k != "WEBHOOK_URL"}}

    async def check() -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            *executable, cwd=ROOT, env={**env, "HEALTH_PORT": str(port)},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, _ = await process.communicate()
        return await process.wait(), out.decode()

    try:
        code, out = await check()
        assert code == 0 and out.startswith("200 ") and '"database": "writable"' in out
        store.db.execute("PRAGMA query_only = ON")  # the database stops taking writes
        code, out = await check()
        assert code == 1 and out.startswith("503 ")
    finally:
        await server.stop()
        store.close()


def test_the_compose_files_keep_the_database_on_a_volume() -> None:
    database = PurePosixPath(image_env()["CANASTA_DB"])
    for name in ("compose.yaml", "compose.webhook.yaml"):
        compose = yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
        bot = compose["services"]["canasta"]
        assert bot["build"] == "."
        mounts = [volume.split(":") for volume in bot["volumes"]]
        named = [
            source for source, target, *_ in mounts if PurePosixPath(target) == database.parent
        ]
        assert named and named[0] in compose["volumes"], f"{name}: the database is not on a volume"
        assert "BOT_TOKEN" in bot["environment"]
    webhook = yaml.safe_load((ROOT / "compose.webhook.yaml").read_text(encoding="utf-8"))
    assert webhook["services"]["canasta"]["environment"]["WEBHOOK_URL"].startswith("https://")
    caddy = webhook["services"]["caddy"]
    caddyfile = next(v.split(":")[0] for v in caddy["volumes"] if "Caddyfile" in v)
    text = (ROOT / caddyfile).read_text(encoding="utf-8")
    assert "handle /telegram*" in text and "reverse_proxy canasta:8080" in text
    rules = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in rules if "/metrics" in line or "/healthz" in line]


def test_the_systemd_unit_runs_the_bot_and_stops_on_a_configuration_mistake() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(ROOT / "deploy" / "canasta.service")
    service = unit["Service"]
    program, *arguments = service["ExecStart"].split()
    assert PurePosixPath(program).name == "canasta" and arguments == ["run"]
    assert service["User"] != "root"
    assert service["RestartPreventExitStatus"] == "2"  # no BOT_TOKEN: exit 2, not a loop
    assert "canasta.db" in service["Environment"]
    assert (ROOT / "deploy" / "canasta.env.example").exists()
