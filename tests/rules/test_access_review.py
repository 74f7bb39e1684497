"""Access-review rules: standing, third-party, orphaned and contradictory grants."""

from __future__ import annotations

import pytest
from rulecheck import findings, hits

DOC = """\
version: 1
organization: {name: Acme, default_action: deny, audit_date: 2026-11-01}
groups:
  - {name: staff}
  - {name: admins, privileged: true}
users:
  - {name: root, type: employee, status: active, groups: [admins], mfa_methods: [fido2]}
  - {name: ext, type: contractor, status: active, groups: [staff], mfa_methods: [fido2], expires: 2027-01-01}
  - {name: desk, type: shared, status: active, groups: [staff], mfa_methods: []}
  - {name: gone, type: employee, status: disabled, groups: [staff], mfa_methods: [fido2]}
  - {name: left, type: contractor, status: active, groups: [staff], mfa_methods: [fido2], expires: 2026-10-01}
mfa_policies:
  - {name: all, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2]}
resources:
  - {name: vault, type: app, sensitivity: restricted, exposure: internal, logging: true}
  - {name: wiki, type: app, sensitivity: internal, exposure: internal, logging: true}
access_rules:
"""  # resources at lines 15-16, rules from line 18


@pytest.mark.parametrize(
    ("rule_id", "rules", "expected"),
    [
        ("ZT-ACC-017", "  - {name: all, effect: allow, subjects: {groups: [admins]}, resources: '*', conditions: {mfa: any}}\n", [("access_rule", "all", 18)]),
        ("ZT-ACC-017", "  - {name: all, effect: allow, subjects: {groups: [admins]}, resources: '*', conditions: {mfa: any}, expires: 2026-12-01}\n", []),
        ("ZT-ACC-017", "  - {name: all, effect: allow, subjects: {groups: [staff]}, resources: '*', conditions: {mfa: any}}\n", []),
        ("ZT-ACC-018", "  - {name: s, effect: allow, subjects: {groups: [staff]}, resources: [vault, wiki]}\n", [("user", "ext", 8), ("user", "desk", 9), ("user", "left", 11)]),
        ("ZT-ACC-018", "  - {name: s, effect: allow, subjects: {groups: [staff]}, resources: [wiki]}\n", []),
        ("ZT-ACC-018", "  - {name: s, effect: allow, subjects: {groups: [staff]}, exclude: {users: [desk, ext, left]}, resources: [vault]}\n", []),
        ("ZT-APP-005", "  - {name: s, effect: allow, subjects: {groups: [staff]}, resources: [wiki]}\n", [("resource", "vault", 15)]),
        ("ZT-APP-005", "  - {name: s, effect: allow, subjects: {users: [gone]}, resources: [wiki, vault]}\n", [("resource", "vault", 15), ("resource", "wiki", 16)]),
        ("ZT-APP-005", "  - {name: s, effect: allow, subjects: {groups: [staff]}, resources: [wiki, vault]}\n", []),
        ("ZT-ACC-019", "  - {name: s, effect: allow, subjects: {users: [gone, left]}, resources: [wiki]}\n", [("access_rule", "s", 18)]),
        ("ZT-ACC-019", "  - {name: s, effect: allow, subjects: {users: [gone, ext]}, resources: [wiki]}\n", []),
        ("ZT-ACC-020",
         "  - {name: a, effect: allow, subjects: {groups: [admins]}, resources: [vault], conditions: {mfa: any}}\n"
         "  - {name: d, effect: deny, subjects: {groups: [admins]}, resources: [vault], conditions: {device: {managed: false}}}\n",
         [("access_rule", "a", 18)]),
        ("ZT-ACC-020",  # the deny covers everything: a dead rule (ZT-ACC-011), not a contradiction
         "  - {name: a, effect: allow, subjects: {groups: [admins]}, resources: [vault], conditions: {mfa: any}}\n"
         "  - {name: d, effect: deny, subjects: {groups: [admins]}, resources: [vault]}\n",
         []),
        ("ZT-ACC-020",  # disjoint conditions never meet
         "  - {name: a, effect: allow, subjects: {groups: [admins]}, resources: [vault], conditions: {countries: [NO]}}\n"
         "  - {name: d, effect: deny, subjects: {groups: [admins]}, resources: [vault], conditions: {countries: [US]}}\n",
         []),
    ],
)
def test_access_review_table(rule_id: str, rules: str, expected: list[tuple[str, str, int]]) -> None:
    assert hits(rule_id, DOC + rules) == expected


def test_outsider_message_names_resource_and_rule() -> None:
    found = findings("ZT-ACC-018", DOC + "  - {name: s, effect: allow, subjects: {groups: [staff]}, resources: [vault]}\n")
    assert [f.message for f in found] == [
        "contractor account 'ext' reaches restricted vault via s",
        "shared account 'desk' reaches restricted vault via s",
        "contractor account 'left' reaches restricted vault via s",
    ]
    assert found[0].evidence["paths"][0]["resource"] == "vault"
