"""The progress line: only on a terminal, only after a second, erased at the end."""

from __future__ import annotations

import io

from test_cli import EXAMPLE, ztaudit

from zerotrust_audit.progress import Progress


def test_progress_shows_after_the_delay_and_erases_itself() -> None:
    out = io.StringIO()
    progress = Progress(out, enabled=True, delay=0.0)
    progress.update("reading files", 5, 10)
    progress.update("reading files", 10, 10)
    progress.close()
    text = out.getvalue()
    assert "reading files: [##########..........] 5/10" in text and "10/10" in text
    assert text.endswith("\r")


def test_short_runs_and_disabled_progress_stay_silent() -> None:
    out = io.StringIO()
    Progress(out, enabled=True, delay=60.0).update("reading files", 1, 2)
    Progress(out, enabled=False, delay=0.0).update("reading files", 1, 2)
    assert out.getvalue() == ""


def test_no_progress_when_not_on_a_terminal() -> None:
    result = ztaudit("scan", EXAMPLE, "--fail-on", "never")
    assert result.returncode == 0 and result.stderr == ""
