"""Repository configuration: ``.ztaudit.yaml``, or ``[tool.ztaudit]`` in ``pyproject.toml``.

A policy repository states once how it is checked (the failing severity,
rules selected or ignored, the baseline, threshold defaults, whether inline
suppressions are allowed), so CI, pre-commit and people get the same result.
The file is validated like every input: an unknown key or a wrong type is an
error naming the file, never a silently ignored setting. The command line
wins over the file; the file wins over the defaults. For thresholds, the
inventory's own ``organization.thresholds`` wins over the file.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zerotrust_audit.errors import InputError, Location, Problem
from zerotrust_audit.load.yaml_reader import read_text
from zerotrust_audit.rules.base import SEVERITIES

CONFIG_FILE = ".ztaudit.yaml"
DEFAULTS: dict[str, Any] = {
    "paths": ["."],   # what the pre-commit hook scans, relative to the repository root
    "fail_on": "low",
    "select": [],
    "ignore": [],
    "baseline": None,
    "inline_suppressions": True,
    "allowed_suppressions": [],   # rule ids or prefixes inline comments may suppress ([] = any)
    "thresholds": {},
}
_TYPES: dict[str, tuple[type, ...]] = {
    "paths": (list,), "fail_on": (str,), "select": (list,), "ignore": (list,), "baseline": (str, type(None)),
    "inline_suppressions": (bool,), "allowed_suppressions": (list,), "thresholds": (dict,),
}


@dataclass(frozen=True)
class Setting:
    value: Any
    source: str   # "default", "command line", or "FILE:LINE"


@dataclass
class Config:
    settings: dict[str, Setting] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.settings[key].value

    def override(self, key: str, value: Any) -> None:
        """A command-line value, when one was given."""
        if value is not None and value != ():
            self.settings[key] = Setting(list(value) if isinstance(value, tuple) else value, "command line")


def load_config(root: Path) -> Config:
    """The configuration at the repository root, merged over the defaults."""
    config = Config({key: Setting(value, "default") for key, value in DEFAULTS.items()})
    yaml_file, toml_file = root / CONFIG_FILE, root / "pyproject.toml"
    if yaml_file.is_file():
        _read_yaml(yaml_file, config)
    elif toml_file.is_file():
        _read_toml(toml_file, config)
    return config


def _read_yaml(path: Path, config: Config) -> None:
    documents, problems = read_text(path.read_text(encoding="utf-8"), CONFIG_FILE)
    if problems:
        raise InputError(problems)
    data = documents[0].data if documents else {}
    if not isinstance(data, dict):
        raise InputError([Problem(Location(CONFIG_FILE, 1, 1), "the configuration must be a mapping of settings")])
    positions = documents[0].positions
    _apply(data, config, lambda key: positions.key((key,)), lambda key: f"{CONFIG_FILE}:{positions.key((key,)).line}")


def _read_toml(path: Path, config: Config) -> None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("ztaudit")
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem(Location("pyproject.toml", 1, 1), f"invalid TOML: {exc}")]) from None
    if data is None:
        return
    where = Location("pyproject.toml", 1, 1)
    _apply(data, config, lambda key: where, lambda key: "pyproject.toml [tool.ztaudit]")


def _apply(data: dict[str, Any], config: Config, locate: Any, source: Any) -> None:
    from zerotrust_audit.rules.thresholds import THRESHOLDS

    problems = []
    for raw_key, value in data.items():
        key = raw_key.replace("-", "_")
        if key not in DEFAULTS:
            close = difflib.get_close_matches(key, list(DEFAULTS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(Problem(locate(raw_key), f"unknown setting '{raw_key}'{hint}; expected one of {', '.join(DEFAULTS)}"))
            continue
        error = _check(key, value, THRESHOLDS)
        if error:
            problems.append(Problem(locate(raw_key), f"{raw_key}: {error}"))
            continue
        config.settings[key] = Setting(value, source(raw_key))
    if problems:
        raise InputError(problems)


def _check(key: str, value: Any, thresholds: dict[str, Any]) -> str | None:
    if not isinstance(value, _TYPES[key]):
        return f"expected {' or '.join(t.__name__ for t in _TYPES[key])}, got {type(value).__name__}"
    if key == "fail_on" and value not in (*SEVERITIES, "never"):
        return f"expected one of {', '.join((*SEVERITIES, 'never'))}, got {value!r}"
    if key in ("select", "ignore", "allowed_suppressions") and not all(isinstance(v, str) for v in value):
        return "expected a list of rule ids or prefixes"
    if key == "paths" and not all(isinstance(v, str) and not Path(v).is_absolute() and ".." not in Path(v).parts for v in value):
        return "expected a list of folders inside the repository"
    if key == "thresholds":
        from zerotrust_audit.rules.thresholds import value_problem

        for name, setting in value.items():
            if name not in thresholds:
                return f"unknown threshold '{name}'; see 'ztaudit rules'"
            wrong = value_problem(thresholds[name], setting)
            if wrong:
                return f"{name}: {wrong}"
    return None
