"""Pieces shared by the ztaudit commands: option groups, exit-code help, path handling.

Kept apart from the command modules so that each of them imports only what it
needs and the CLI stays a thin layer over the library.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from zerotrust_audit.errors import UsageError

if TYPE_CHECKING:
    from zerotrust_audit.load.limits import Limits
    from zerotrust_audit.progress import Progress

EXIT_CODES_HELP = """\b
Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  invalid input or usage (every problem is listed)
  3  internal error (please report it; --debug shows the traceback)"""


def limit_options(command: Any) -> Any:
    """Options that raise the bounds on reading (defaults keep hostile input cheap)."""
    for name, help_text in reversed((
        ("--max-file-size", "Largest policy file in bytes (default 64 MiB)."),
        ("--max-depth", "Deepest nesting of mappings and lists (default 64)."),
        ("--max-documents", "Most YAML documents in one file (default 1000)."),
        ("--max-scalar-length", "Longest single value in characters (default 1 MiB)."),
        ("--max-aliases", "Most aliases in one document (default 10,000)."),
        ("--max-values", "Most values one document may expand to through aliases (default 5,000,000)."),
    )):
        command = click.option(name, type=click.IntRange(min=1), default=None, help=help_text)(command)
    return command


def jobs_option(command: Any) -> Any:
    return click.option(
        "--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
        help="Processes for reading files, evaluating rules and encoding large reports (0: one per CPU, up to 4; 1: no extra process).",
    )(command)


def limits_of(options: dict[str, Any]) -> Limits:
    from zerotrust_audit.load.limits import Limits

    fields = {"max_file_size": "max_file_bytes", "max_depth": "max_depth", "max_documents": "max_documents",
              "max_scalar_length": "max_scalar_chars", "max_aliases": "max_aliases", "max_values": "max_nodes"}
    return Limits(**{fields[k]: v for k, v in options.items() if k in fields and v is not None})


def progress_line(quiet: bool) -> Progress:
    """A progress line on standard error, only for a terminal and without --quiet."""
    from zerotrust_audit.progress import Progress

    stream = sys.stderr
    return Progress(stream, enabled=not quiet and stream.isatty())


def split_ids(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select ZT-IDN,ZT-NET-001 --select ZT-DEV`` -> each id or prefix once."""
    return tuple(dict.fromkeys(part.strip() for value in values for part in value.split(",") if part.strip()))


def use_color(output: str | None) -> bool:
    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def targets_of(paths: tuple[Path, ...], example: bool) -> list[Path]:
    from zerotrust_audit.resources import example_policy_dir

    targets = list(paths)
    if example:
        targets.append(example_policy_dir())
    if not targets:
        raise UsageError("give at least one PATH to scan (or --example)")
    return targets


