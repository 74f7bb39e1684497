"""Hostile and broken input never crashes the tool: it scans, or it reports input errors.

Hypothesis mutates a valid policy file byte by byte (flips, deletions,
insertions of YAML-significant characters) and builds random documents from
the format's vocabulary; every outcome must be a report or an InputError with
messages, never another exception.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zerotrust_audit.api import scan
from zerotrust_audit.errors import InputError

EXAMPLE = Path(__file__).resolve().parents[1] / "policies" / "acme"
SEED = (EXAMPLE / "access" / "rules.yaml").read_bytes()
SIGNIFICANT = [b":", b"-", b"{", b"}", b"[", b"]", b"&a", b"*a", b"!!", b"#", b"'", b'"', b"\n", b"  ", b"\t", b"%", b"|", b">", b"?", b"\x00", b"\xff", b"NO", b"~"]


def outcome(files: dict[str, bytes]) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
        try:
            scan([Path(tmp)])
        except InputError as exc:
            assert exc.problems and all(str(p) for p in exc.problems)
            return "invalid"
    return "scanned"


@st.composite
def mutations(draw: st.DrawFn) -> bytes:
    data = bytearray(SEED)
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        if action == "insert":
            data[position:position] = draw(st.sampled_from(SIGNIFICANT))
        elif action == "delete":
            data[position:position + draw(st.integers(1, 40))] = b""
        else:
            data[position:position + 1] = bytes([draw(st.integers(0, 255))])
    return bytes(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations())
def test_mutated_policy_file_never_crashes(mutated: bytes) -> None:
    files = {p.name + str(i): p.read_bytes() for i, p in enumerate(sorted(EXAMPLE.rglob("*.yaml"))) if p.name != "rules.yaml"}
    files = {f"{name}.yaml": data for name, data in files.items()}
    files["rules.yaml"] = mutated
    assert outcome(files) in ("invalid", "scanned")


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.text(max_size=12), st.sampled_from(
    ["*", "NO", "yes", "2026-02-30", "10.0.0.0/33", "fido2", "allow", "deny", "restricted", "vpn", "laptop", "enforced", "ZT-IDN-004"]))
KEYS = st.sampled_from([
    "version", "name", "type", "status", "groups", "users", "mfa_methods", "owner", "managed", "os", "family", "effect", "subjects",
    "resources", "conditions", "mfa", "device", "networks", "countries", "gateway", "protocol", "authentication", "rule", "target",
    "kind", "expires", "sensitivity", "exposure", "logging", "organization", "default_action", "thresholds", "endpoints", "access_rules",
])
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)), max_leaves=25)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_random_documents_never_crash(document: dict) -> None:
    import json

    assert outcome({"doc.json": json.dumps({"version": 1, **document}, default=str).encode()}) in ("invalid", "scanned")
