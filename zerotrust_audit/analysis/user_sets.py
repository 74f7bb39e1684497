"""Sets of active users as bit sets, and who reaches a resource through which rules.

A large organisation has tens of thousands of users but, per resource, only a
handful of distinct *matching-rule sets* (which of the rules naming the
resource a user's subjects match). Held as Python integers with one bit per
user (bits in user-name order), a set of users costs a few kilobytes, and
intersecting it with "weak MFA users" or "owners of unmanaged devices" is one
C-level operation instead of a walk over every (user, resource) grant. Rules
that only report a few users ask for those users alone.
"""

from __future__ import annotations

import re
import sys
from itertools import compress
from collections.abc import Callable, Collection, Iterable, Mapping

from zerotrust_audit.model.entities import AccessRule, User

UserBits = int

# bit offsets set in each byte value, for turning a bit set back into names
_BITS_OF_BYTE: tuple[tuple[int, ...], ...] = tuple(tuple(b for b in range(8) if value >> b & 1) for value in range(256))
_NONZERO_RUN = re.compile(rb"[^\x00]+")


class UserSets:
    """Active users numbered in name order, and each rule's members as a bit set."""

    def __init__(self, users: Mapping[str, User], rules: tuple[AccessRule, ...]) -> None:
        self.names: list[str] = sorted(name for name, user in users.items() if user.status == "active")
        self.rank: dict[str, int] = {name: i for i, name in enumerate(self.names)}
        self._bytes = (len(self.names) + 7) // 8
        self._words = (len(self.names) + 63) // 64
        self.everyone: UserBits = (1 << len(self.names)) - 1
        members_of_group: dict[str, list[int]] = {}
        for i, name in enumerate(self.names):
            for group in users[name].groups:
                members_of_group.setdefault(group, []).append(i)
        self._groups = {group: self.from_indexes(indexes) for group, indexes in members_of_group.items()}
        # per rule: users its subjects match, less those its exclude names
        self.members: list[UserBits] = [self._principals(r.subjects) & ~self._principals(r.exclude) for r in rules]
        self._sets: dict[int, tuple[Collection[str], UserBits]] = {}

    def _principals(self, principals: object) -> UserBits:
        users: Iterable[str] = getattr(principals, "users")
        groups: Iterable[str] = getattr(principals, "groups")
        if "*" in users or "*" in groups:
            return self.everyone
        bits = self.from_indexes([self.rank[u] for u in users if u in self.rank])
        for group in groups:
            bits |= self._groups.get(group, 0)
        return bits

    def from_indexes(self, indexes: Iterable[int]) -> UserBits:
        buffer = bytearray(self._bytes)
        for i in indexes:
            buffer[i >> 3] |= 1 << (i & 7)
        return int.from_bytes(buffer, "little")

    def of(self, users: Collection[str]) -> UserBits:
        """The bit set of ``users`` (names that are not active users are left out).
        Kept per collection object: rules ask with the same few sets many times."""
        cached = self._sets.get(id(users))
        if cached is None or cached[0] is not users:
            rank = self.rank
            cached = self._sets[id(users)] = (users, self.from_indexes([rank[u] for u in users if u in rank]))
        return cached[1]

    def of_names(self, users: Iterable[str]) -> UserBits:
        """The bit set of ``users``, not kept (for a one-off question)."""
        rank = self.rank
        return self.from_indexes([rank[u] for u in users if u in rank])

    def indexes(self, bits: UserBits) -> list[int]:
        """Set bits, lowest first (that is, users in name order)."""
        if not bits:
            return []
        if bits.bit_count() * 5 < len(self.names):
            return _sparse_indexes(bits.to_bytes(self._words * 8, sys.byteorder))
        return _dense_indexes(bits.to_bytes(self._bytes, "little"))

    def first_indexes(self, bits: UserBits, limit: int) -> list[int]:
        """The lowest ``limit`` set bits (the first users in name order), without the rest."""
        return _sparse_indexes(bits.to_bytes(self._words * 8, sys.byteorder), limit) if bits else []

    def names_of(self, bits: UserBits) -> list[str]:
        names = self.names
        return [names[i] for i in self.indexes(bits)]

    def first(self, bits: UserBits) -> str:
        """The first user of a non-empty set, in name order."""
        return self.names[(bits & -bits).bit_length() - 1]


def _sparse_indexes(data: bytes, limit: int | None = None) -> list[int]:
    """Set bits of a sparse set (``data`` in native byte order), up to ``limit``
    of them: skip zero words at C speed, then peel bits off."""
    words = memoryview(data).cast("Q")
    out: list[int] = []
    for k in compress(range(len(words)), words):
        word, base = words[k], k * 64
        while word:
            low = word & -word
            out.append(base + low.bit_length() - 1)
            word ^= low
        if limit is not None and len(out) >= limit:
            return out[:limit]
    return out


def _dense_indexes(data: bytes) -> list[int]:
    """Set bits of a dense set, a byte at a time from a table."""
    out: list[int] = []
    table = _BITS_OF_BYTE
    for run in _NONZERO_RUN.finditer(data):
        base = run.start() * 8
        for value in run.group():
            out.extend([base + b for b in table[value]])
            base += 8
    return out


def partition(everyone: UserBits, members: list[UserBits], rule_indexes: Iterable[int],
              canonical: Callable[[frozenset[int]], frozenset[int]]) -> list[tuple[frozenset[int], UserBits]]:
    """Split ``everyone`` by which of ``rule_indexes`` each user matches:
    ``[(matching rules, users)]`` for every non-empty part (the empty rule set included)."""
    parts: list[tuple[frozenset[int], UserBits]] = [(frozenset(), everyone)]
    for i in sorted(rule_indexes):
        rule_members, refined = members[i], []
        for rule_set, bits in parts:
            inside = bits & rule_members
            if inside:
                refined.append((rule_set | {i}, inside))
                if inside != bits:
                    refined.append((rule_set, bits ^ inside))
            else:
                refined.append((rule_set, bits))
        parts = refined
    return [(canonical(rule_set), bits) for rule_set, bits in parts]

