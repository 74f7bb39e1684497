"""Escaping of untrusted text for each output medium.

Everything a report echoes (names, descriptions, messages) comes from policy
files that may come from a pull request, so each medium gets its own
neutralisation: terminal control sequences, spreadsheet formulas.
"""

from __future__ import annotations

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def terminal(text: str) -> str:
    """Control characters (escape sequences included) are shown, not obeyed."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def spreadsheet_cell(text: str) -> str:
    """A cell a spreadsheet would run as a formula is prefixed with a quote (OWASP CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
