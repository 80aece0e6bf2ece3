"""Reading the pip-compile locks of requirements/ (name -> exact version and hashes)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)(?P<options>.*)$")


@dataclass(frozen=True)
class Pin:
    version: str
    hashes: tuple[str, ...]


def normalise(name: str) -> str:
    """PEP 503 name: the same for « ruamel.yaml », « ruamel-yaml » and « Ruamel_YAML »."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path: Path) -> dict[str, Pin]:
    """Every requirement of a lock. Fails on a line that is not ``name==version --hash=...``."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    pins = {}
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        match = _PIN.match(line)
        assert match, f"{path.name}: not an exact pin: {line}"
        pins[normalise(match["name"])] = Pin(match["version"], tuple(re.findall(r"--hash=(\S+)", match["options"])))
    return pins
