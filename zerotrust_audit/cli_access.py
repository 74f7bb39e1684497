"""``ztaudit whatif`` and ``ztaudit access``: effective access from the command line."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TextIO

import click

from zerotrust_audit import __version__
from zerotrust_audit.cli_common import EXIT_CODES_HELP, targets_of
from zerotrust_audit.errors import EXIT_CLEAN, EXIT_FINDINGS, UsageError


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--example", is_flag=True, help="Ask about the bundled example organisation.")
@click.option("--user", "user", required=True, help="The user making the request.")
@click.option("--resource", required=True, help="The resource requested.")
@click.option("--endpoint", help="The endpoint used (default: the weakest the user could use, an unregistered device included).")
@click.option("--network", help="The network the request comes from (default: any).")
@click.option("--mfa", help="The MFA method presented (default: the weakest the user can present, or none).")
@click.option("--country", help="ISO 3166 alpha-2 country of the request (default: any).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def whatif(
    paths: tuple[Path, ...], example: bool, user: str, resource: str, endpoint: str | None, network: str | None,
    mfa: str | None, country: str | None, output_format: str,
) -> None:
    """Decide one access request and trace every rule: would USER reach RESOURCE?

    Exits 0 when the request is allowed and 1 when it is denied.
    """
    from zerotrust_audit.api import load
    from zerotrust_audit.analysis.whatif import what_if
    from zerotrust_audit.report.whatif_report import render_json, render_text

    facts = load(targets_of(paths, example)).facts
    result = what_if(facts.access, user, resource, endpoint, network, mfa, country)
    click.echo(render_json(result) if output_format == "json" else render_text(result), nl=False)
    raise SystemExit(EXIT_CLEAN if result.decision.effect == "allow" else EXIT_FINDINGS)


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--example", is_flag=True, help="Map the bundled example organisation.")
@click.option("--resource", help="Only this resource.")
@click.option("--user", "user", help="Only this user.")
@click.option(
    "--min-sensitivity", type=click.Choice(["public", "internal", "confidential", "restricted"]), default="public", show_default=True,
    help="Only resources at least this sensitive.",
)
@click.option("--format", "output_format", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of stdout.")
def access(
    paths: tuple[Path, ...], example: bool, resource: str | None, user: str | None, min_sensitivity: str, output_format: str, output: Path | None,
) -> None:
    """Map who can reach what: every granted (user, resource) pair, its rules,
    weakest conditions, the user's effective MFA and admitted endpoints."""
    from zerotrust_audit.analysis.access_map import access_map
    from zerotrust_audit.api import load
    from zerotrust_audit.gcpause import gc_paused
    from zerotrust_audit.report import access_report

    facts = load(targets_of(paths, example)).facts
    inventory = facts.inventory
    if resource is not None and resource not in inventory.resources:
        raise UsageError(f"unknown resource '{resource}'")
    if user is not None and user not in inventory.users:
        raise UsageError(f"unknown user '{user}'")
    entries = access_map(facts, resource, user, min_sensitivity)
    with gc_paused(), (output.open("w", encoding="utf-8", newline="") if output else _stdout()) as out:
        if output_format == "json":
            header = {"tool": {"name": "zerotrust-audit", "version": __version__}, "audit_date": facts.today.isoformat()}
            access_report.write_json(entries, out, header)
        elif output_format == "csv":
            access_report.write_csv(entries, out)
        else:
            access_report.write_text(entries, out)


def _stdout() -> contextlib.AbstractContextManager[TextIO]:
    """stdout as a context manager that is not closed afterwards."""
    return contextlib.nullcontext(sys.stdout)


