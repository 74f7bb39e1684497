"""The ``ztaudit`` command line: parse options, call the library, map to an exit code.

Every command is a thin layer over :mod:`zerotrust_audit.api`; errors are
turned into messages and exit codes in one place (:func:`main`).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from zerotrust_audit import __version__
from zerotrust_audit.cli_common import (
    EXIT_CODES_HELP,
    jobs_option,
    limit_options,
    limits_of,
    progress_line,
    split_ids,
    targets_of,
    use_color,
)
from zerotrust_audit.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_INVALID, InputError, UsageError, ZtauditError

if TYPE_CHECKING:
    from zerotrust_audit.api import ScanOptions
    from zerotrust_audit.config import Config
    from zerotrust_audit.findings import Report

BUG_URL = "https://github.com/zerotrust-audit/zerotrust-audit/issues"


@click.group(epilog=EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ztaudit")
@click.option("--debug", is_flag=True, help="Show the traceback of internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Audit a remote-access set-up (identities, MFA, devices, networks, VPN
    gateways, access rules) described in YAML against zero-trust principles."""
    ctx.obj = {"debug": debug}


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--example", is_flag=True, help="Scan the bundled example organisation.")
@click.option(
    "--format", "formats", multiple=True, metavar="NAME[:FILE]",
    help="Report format: text (default), json, sarif, junit, github, gitlab. Repeat for several; NAME:FILE writes that one to FILE.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the (single) report to FILE instead of stdout.")
@click.option(
    "--fail-on",
    type=click.Choice(["critical", "high", "medium", "low", "info", "never"]),
    default=None,
    help="Exit 1 when a finding of this severity or above remains (default: low, or the configuration's).",
)
@click.option("--select", multiple=True, metavar="IDS", help="Run only these rule ids or prefixes (comma-separated, repeatable).")
@click.option("--ignore", multiple=True, metavar="IDS", help="Skip these rule ids or prefixes (comma-separated, repeatable).")
@limit_options
@click.option("--quiet", "-q", is_flag=True, help="No progress line on the terminal.")
@jobs_option
@click.option("--no-inline-suppressions", is_flag=True, help="Ignore '# ztaudit: ignore[...]' comments (CI can refuse them).")
@click.option("--diff-base", "diff_base", metavar="GIT_REF", help="Report only findings that are new since this commit of the same repository.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path), help="Report only findings not recorded in this baseline (see 'ztaudit baseline').")
def scan(
    paths: tuple[Path, ...], example: bool, formats: tuple[str, ...], output: Path | None, fail_on: str, select: tuple[str, ...],
    ignore: tuple[str, ...], quiet: bool, jobs: int, no_inline_suppressions: bool, diff_base: str | None, baseline_file: Path | None,
    **limits: Any,
) -> None:
    """Scan policy files and folders (PATHS) and report every finding."""
    from zerotrust_audit.api import scan as run_scan
    from zerotrust_audit.report.outputs import parse_outputs, write_outputs

    outputs = parse_outputs(formats, output)
    targets = targets_of(paths, example)
    config = _config(targets, fail_on=fail_on, select=split_ids(select), ignore=split_ids(ignore),
                     baseline=baseline_file.as_posix() if baseline_file else None,
                     inline_suppressions=False if no_inline_suppressions else None)
    options = _scan_options(config, limits=limits_of(limits), progress=progress_line(quiet), jobs=jobs)
    report = _scan_with_baseline(targets, options, config, _root(targets))
    if diff_base is not None:
        from zerotrust_audit.baseline import apply_baseline
        from zerotrust_audit.diffbase import base_fingerprints

        recorded, warning = base_fingerprints(targets, diff_base, lambda base: run_scan(base, options))
        if warning:
            click.echo(f"warning: {warning}", err=True)
        report = apply_baseline(report, recorded, f"git {diff_base}", reason=f"already present at {diff_base}")
    write_outputs(report, outputs, use_color(None), lambda text: click.echo(text, nl=False))
    _github_summary(report, [o.format for o in outputs])
    raise SystemExit(EXIT_FINDINGS if report.failing() else EXIT_CLEAN)


def _scan_options(config: Config, **extra: Any) -> ScanOptions:
    """The scan the configuration (with the command line on top) asks for."""
    from zerotrust_audit.api import ScanOptions

    return ScanOptions(
        select=split_ids(tuple(config["select"])), ignore=split_ids(tuple(config["ignore"])), fail_on=config["fail_on"],
        inline_suppressions=config["inline_suppressions"], allowed_suppressions=split_ids(tuple(config["allowed_suppressions"])),
        thresholds=tuple(sorted(config["thresholds"].items())), **extra,
    )


def _scan_with_baseline(targets: list[Path], options: ScanOptions, config: Config, config_dir: Path) -> Report:
    """Scan, then apply the configured baseline: a file named on the command line
    is taken as given, one named in the configuration relative to its folder."""
    from zerotrust_audit.api import scan as run_scan

    report = run_scan(targets, options)
    if config["baseline"] is not None:
        from zerotrust_audit.baseline import apply_baseline, load_baseline

        given = config.settings["baseline"].source == "command line"
        where = Path(config["baseline"]) if given else config_dir / config["baseline"]
        report = apply_baseline(report, load_baseline(where), config["baseline"])
    return report


def _github_summary(report: Report, formats: list[str]) -> None:
    """With the github format inside GitHub Actions, also write the job summary."""
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if "github" in formats and summary:
        from zerotrust_audit.report.github import summary_markdown

        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(summary_markdown(report))


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--example", is_flag=True, help="Record the bundled example organisation's findings.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=Path(".ztaudit-baseline.json"), show_default=True)
@click.option("--select", multiple=True, metavar="IDS", help="Record only these rule ids or prefixes.")
@click.option("--ignore", multiple=True, metavar="IDS", help="Skip these rule ids or prefixes.")
def baseline(paths: tuple[Path, ...], example: bool, output: Path, select: tuple[str, ...], ignore: tuple[str, ...]) -> None:
    """Record the current findings, so that 'scan --baseline FILE' reports only new ones."""
    from zerotrust_audit.api import ScanOptions
    from zerotrust_audit.api import scan as run_scan
    from zerotrust_audit.baseline import baseline_json

    report = run_scan(targets_of(paths, example), ScanOptions(select=split_ids(select), ignore=split_ids(ignore), fail_on="never"))
    output.write_text(baseline_json(report), encoding="utf-8")
    click.echo(f"Recorded {len(report.findings)} findings in {output}.")


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--example", is_flag=True, help="Validate the bundled example organisation.")
@limit_options
def validate(paths: tuple[Path, ...], example: bool, **limits: Any) -> None:
    """Check policy files against the format only (syntax, schema, references)."""
    from zerotrust_audit.api import load

    loaded = load(targets_of(paths, example), limits_of(limits))
    entities = sum(1 for _ in loaded.facts.inventory.entities())
    click.echo(f"OK: {len(loaded.inputs)} files, {entities} entities, no problems.")


@cli.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
def rules(output_format: str) -> None:
    """List the rules of the built-in pack."""
    from zerotrust_audit.report.json_report import rule_metadata
    from zerotrust_audit.report.rules_doc import render_rules
    from zerotrust_audit.rules import ALL_RULES
    from zerotrust_audit.rules.thresholds import THRESHOLDS

    if output_format == "markdown":
        click.echo(render_rules(ALL_RULES), nl=False)
        return
    if output_format == "json":
        data = {
            "rules": [rule_metadata(r) for r in ALL_RULES],
            "thresholds": {k: {"default": t.default, "source": t.source} for k, t in sorted(THRESHOLDS.items())},
        }
        click.echo(json.dumps(data, indent=2, sort_keys=True))
        return
    for r in ALL_RULES:
        click.echo(f"{r.id}  {r.severity:<8}  {r.pillar:<12}  {r.title}")
    click.echo(f"\n{len(ALL_RULES)} rules. 'ztaudit explain RULE_ID' shows one in full.")


@cli.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Show a rule in full: why, how to fix, references, examples."""
    from zerotrust_audit.rules import RULES_BY_ID
    from zerotrust_audit.rules.thresholds import THRESHOLDS

    r = RULES_BY_ID.get(rule_id.upper())
    if r is None:
        raise UsageError(f"unknown rule id '{rule_id}' (see 'ztaudit rules')")
    lines = [
        f"{r.id}: {r.title}",
        f"Severity: {r.severity}" + (f" ({r.severity_note})" if r.severity_note else ""),
        f"Pillar: {r.pillar}    Reports on: {r.entity_kind}",
        "",
        "Why it matters:",
        f"  {r.rationale}",
        "",
        "How to fix:",
        f"  {r.remediation}",
        "",
        "References:",
        *(f"  - {ref}" for ref in r.references),
    ]
    if r.thresholds:
        lines += ["", "Thresholds (override in organization.thresholds):"]
        lines += [f"  - {k}: default {THRESHOLDS[k].default!r} ({THRESHOLDS[k].source})" for k in r.thresholds]
    lines += ["", "Fails:", *("  " + ln for ln in r.failing_example.splitlines())]
    lines += ["", "Passes:", *("  " + ln for ln in r.passing_example.splitlines())]
    click.echo("\n".join(lines))


@cli.command()
@click.argument("section", required=False)
def schema(section: str | None) -> None:
    """Print the JSON Schema of a policy document (or of one SECTION).

    The whole-document schema is self-contained: save it and point
    yaml-language-server at it for validation and completion in editors.
    """
    from zerotrust_audit.schema import SECTIONS, bundled_schema

    if section is not None and section not in SECTIONS:
        raise UsageError(f"unknown section '{section}'; expected one of: {', '.join(SECTIONS)}")
    click.echo(json.dumps(bundled_schema(section), indent=2))


def _root(targets: list[Path]) -> Path:
    from zerotrust_audit.load.discover import scan_root

    return scan_root(targets)


def _config(targets: list[Path], **given: object) -> Config:
    """The repository's configuration with the command line's values on top."""
    from zerotrust_audit.config import load_config

    config = load_config(_root(targets))
    for key, value in given.items():
        config.override(key, value)
    return config


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--validate-only", is_flag=True, help="Check the input format only.")
def hook(files: tuple[Path, ...], validate_only: bool) -> None:
    """Pre-commit entry point: check the repository in the current folder and
    report what is wrong in FILES (the files being committed).

    The whole repository is read, so references across files resolve even
    when one file is committed; the configuration's paths, fail_on, rules and
    baseline apply.
    """
    from zerotrust_audit.api import load
    from zerotrust_audit.report.outputs import Output, write_outputs

    root = Path.cwd()
    config = _config([root])
    targets = [root / p for p in config["paths"]]
    if validate_only:
        load(targets)
        return
    report = _scan_with_baseline(targets, _scan_options(config), config, root)
    scanned_root = _root(targets)
    committed = {(root / f).resolve().relative_to(scanned_root).as_posix() for f in files if (root / f).resolve().is_relative_to(scanned_root)}
    report = dataclasses.replace(report, findings=[f for f in report.findings if f.location.path in committed])
    write_outputs(report, [Output("text", None)], use_color(None), lambda text: click.echo(text, nl=False))
    raise SystemExit(EXIT_FINDINGS if report.failing() else EXIT_CLEAN)


@cli.command("config")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--show", is_flag=True, required=True, help="Print the effective configuration and where each value comes from.")
def config_command(paths: tuple[Path, ...], show: bool) -> None:
    """Show the configuration a scan of PATHS (default: .) would use."""
    config = _config(list(paths) or [Path(".")])
    for key, setting in config.settings.items():
        click.echo(f"{key}: {json.dumps(setting.value, sort_keys=True)}  ({setting.source})")


from zerotrust_audit.cli_access import access, whatif  # noqa: E402 - commands defined in their own module

cli.add_command(whatif)
cli.add_command(access)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command and turn every outcome into an exit code.

    Run as the ``ztaudit`` command, the process then ends without tearing down
    its objects one by one: after a scan of 100,000 endpoints that alone took
    seconds, and nothing is left to clean up (reports are written and closed).
    """
    code = _run(sys.argv[1:] if argv is None else argv)
    if argv is None:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
        os._exit(code)
    sys.exit(code)


def _run(args: list[str]) -> int:
    debug = "--debug" in args
    try:
        cli.main(args=args, prog_name="ztaudit", standalone_mode=False)
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else EXIT_CLEAN
        return code
    except InputError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        count = len(exc.problems)
        click.echo(f"{count} input problem{'s' if count != 1 else ''}; nothing was scanned.", err=True)
        return EXIT_INVALID
    except ZtauditError as exc:
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return EXIT_INVALID
    except click.ClickException as exc:
        exc.show()
        return EXIT_INVALID
    except Exception as exc:  # noqa: BLE001 - the one place internal errors are reported
        if debug:
            traceback.print_exc()
        click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo(f"This is a bug in ztaudit {__version__}; please report it at {BUG_URL}" + ("" if debug else " (run with --debug for the traceback)."), err=True)
        return EXIT_INTERNAL
    return EXIT_CLEAN
