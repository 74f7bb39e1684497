"""Effective MFA: the factor an attacker can downgrade a user to.

The format defines it exactly: the weakest method that the user enrolled and
that a *required* policy applying to them allows; ``none`` when no required
policy applies, when an applying policy allows legacy authentication, or when
the user enrolled no allowed method. Allowed methods add up across applying
policies, as in identity providers' authentication-method policies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zerotrust_audit.model.entities import MfaPolicy, User

STRENGTH: dict[str, int] = {
    "none": 0,
    "email": 1,
    "sms": 1,
    "voice": 1,
    "totp": 2,
    "push": 2,
    "push_number_match": 3,
    "fido2": 4,
    "webauthn": 4,
    "piv": 4,
}
RESTRICTED = 1
PHISHING_RESISTANT = 4
LEVEL_NAMES = {0: "none", 1: "restricted", 2: "otp", 3: "push_number_match", 4: "phishing_resistant"}
LEVEL_OF_NAME = {name: level for level, name in LEVEL_NAMES.items()}


def is_phishing_resistant(method: str) -> bool:
    return STRENGTH[method] >= PHISHING_RESISTANT


@dataclass(frozen=True)
class UserMfa:
    """MFA facts of one user."""

    policies: tuple[str, ...]          # names of the policies that apply
    required: bool                     # some applying policy requires MFA
    legacy_auth: bool                  # some applying policy allows legacy auth
    usable: tuple[str, ...]            # enrolled and allowed, weakest first
    effective: str                     # weakest usable method under a required policy, or "none"

    @property
    def effective_strength(self) -> int:
        return STRENGTH[self.effective]


def policy_applies(policy: MfaPolicy, user: User) -> bool:
    """``applies_to`` names the user, a group of theirs or ``*``, and ``exempt`` names neither."""
    if not policy.applies_to.includes(user):
        return False
    exempt = policy.exempt
    return not (user.name in exempt.users or any(g in exempt.groups for g in user.groups) or exempt.everyone)


def user_mfa(user: User, policies: list[MfaPolicy]) -> UserMfa:
    return _mfa_of(tuple(p for p in policies if policy_applies(p, user)), user.mfa_methods)


def users_mfa(users: Iterable[User], policies: list[MfaPolicy]) -> dict[str, UserMfa]:
    """:func:`user_mfa` of many users. Users no policy names (only their groups
    decide which policies apply) and who enrolled the same methods share one
    answer, worked out once: an organisation has far fewer such profiles than users."""
    named = {u for p in policies for u in (*p.applies_to.users, *p.exempt.users)}
    applying_by_groups: dict[tuple[str, ...], tuple[MfaPolicy, ...]] = {}
    answers: dict[tuple[tuple[str, ...], tuple[str, ...]], UserMfa] = {}
    found = {}
    for user in users:
        if user.name in named:
            applying = tuple(p for p in policies if policy_applies(p, user))
        else:
            groups = tuple(user.groups)
            applying = applying_by_groups.get(groups)  # type: ignore[assignment]
            if applying is None:
                applying = applying_by_groups[groups] = tuple(p for p in policies if policy_applies(p, user))
        key = (tuple(p.name for p in applying), tuple(user.mfa_methods))
        answer = answers.get(key)
        if answer is None:
            answer = answers[key] = _mfa_of(applying, user.mfa_methods)
        found[user.name] = answer
    return found


def _mfa_of(applying: tuple[MfaPolicy, ...], methods: Iterable[str]) -> UserMfa:
    allowed = {m for p in applying for m in p.allowed_methods if m != "none"}
    usable = tuple(sorted((m for m in set(methods) if m in allowed), key=lambda m: (STRENGTH[m], m)))
    required = any(p.required for p in applying)
    legacy = any(p.legacy_auth_allowed for p in applying)
    required_allowed = {m for p in applying if p.required for m in p.allowed_methods}
    under_required = [m for m in usable if m in required_allowed]
    effective = "none" if legacy or not required or not under_required else under_required[0]
    return UserMfa(tuple(p.name for p in applying), required, legacy, usable, effective)
