"""Where each report format goes: ``--format NAME[:FILE]``, repeatable.

One scan can feed several consumers at once (SARIF for code scanning, JUnit
for the test dashboard, text for the log): each format is written once, to
its file or to standard output, from the same report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from zerotrust_audit.errors import UsageError
from zerotrust_audit.findings import Report
from zerotrust_audit.report import FORMATS, renderer, reporter

# Formats whose module has ``write(report, handle)``: written to a file piece
# by piece (large reports).
STREAMED = frozenset({"json", "sarif"})


@dataclass(frozen=True)
class Output:
    format: str
    path: Path | None   # None: standard output


def parse_outputs(specs: tuple[str, ...], output: Path | None) -> list[Output]:
    """``("sarif:a.sarif", "text")`` -> outputs; ``--output`` applies to a single bare format."""
    outputs = []
    for spec in specs or ("text",):
        name, sep, file = spec.partition(":")
        if name not in FORMATS:
            raise UsageError(f"unknown format '{name}'; expected one of {', '.join(sorted(FORMATS))} (optionally NAME:FILE)")
        if sep and not file:
            raise UsageError(f"--format {spec}: give a file after ':'")
        outputs.append(Output(name, Path(file) if sep else None))
    bare = [o for o in outputs if o.path is None]
    if output is not None:
        if len(bare) != 1:
            raise UsageError("--output needs exactly one --format without its own :FILE")
        outputs = [Output(o.format, output) if o.path is None else o for o in outputs]
        bare = []
    if len(bare) > 1:
        raise UsageError("only one format can go to standard output; give the others a file (--format NAME:FILE)")
    return outputs


def write_outputs(report: Report, outputs: list[Output], color_on_stdout: bool, echo: Callable[[str], None]) -> None:
    for out in outputs:
        if out.path is not None and out.format in STREAMED:
            with out.path.open("w", encoding="utf-8") as handle:
                write: Callable[[Report, TextIO], None] = reporter(out.format).write
                write(report, handle)
            continue
        rendered = renderer(out.format)(report, color_on_stdout and out.path is None)
        if out.path is None:
            echo(rendered)
        else:
            out.path.write_text(rendered, encoding="utf-8")
