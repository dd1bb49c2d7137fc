"""Coherent records: the columns of one object that must agree draw from one choice per row.

The engine draws column by column, so agreement cannot come from looking at a record. Instead
the columns of one object that belong together (a person's names, e-mail and user name; a
town and its postcode; a date of birth and an age; the dates of a record's timeline) form a
``Group``: each row gets one key from the group (a keyed bijection of the row number, so a
row's key is the same whether it is drawn in a chunk, alone or in another process) and every
member maps that key to its own value. ``first_name`` and ``email`` of one row both read the
same given name from the key, vectorised, without seeing each other's column.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from synthdata_sdk.generation.nodes.base import Context, Node
from synthdata_sdk.generation.nodes.strings import SemanticNode, TemporalNode
from synthdata_sdk.generation.permutation import Permutation
from synthdata_sdk.generation.semantics.address import City, Postcode
from synthdata_sdk.generation.semantics.base import Indices
from synthdata_sdk.generation.semantics.dates import EARLIEST_BIRTH, REFERENCE_DATE, DateOfBirth
from synthdata_sdk.generation.semantics.people import HANDLE_SEPARATORS, NUMBER_SUFFIXES
from synthdata_sdk.generation.semantics.pools import (
    ascii_first_names,
    ascii_fold,
    ascii_last_names,
    first_names,
    last_names,
)
from synthdata_sdk.generation.semantics.regions import Region, RegionCode

#: the semantics a person's group ties together
PERSON_ROLES = frozenset({"first_name", "last_name", "full_name", "username", "email"})
#: person members whose values stay distinct when the group's keys do
UNIQUE_PERSON_ROLES = frozenset({"username", "email"})
#: the semantics an address's group ties together
ADDRESS_ROLES = frozenset({"city", "postcode", "region", "region_code"})
#: keys of groups that need no bijection are drawn from this range, then reduced


@dataclass
class Group:
    """The columns of one object that agree: one key per row, shared by every member."""

    kind: str
    #: the object's pointer
    pointer: str
    #: some member is unique, so the keys are a bijection of the rows
    unique: bool = False

    def keys(self, ctx: Context, n: int, size: int) -> Indices:
        """One key in ``[0, size)`` per row, the same for every member of the group."""
        label = f"{self.pointer}#{self.kind}"
        if ctx.row_start is None:
            # inside arrays rows do not line up with records: members drawn together still
            # share one stream, position by position
            wide = (ctx.stream(label, "record").raw(n) >> np.uint64(2)).astype(np.int64)
            reduced: Indices = wide % size
            return reduced
        if ctx.rows is not None:
            rows = np.array(ctx.rows, dtype=np.int64)
        else:
            rows = np.arange(ctx.row_start, ctx.row_start + n, dtype=np.int64)
        if self.unique:
            return Permutation(size, ctx.seed, label)(rows)
        return ctx.shared_keys(label, rows, size)


def object_pointer(pointer: str) -> str | None:
    """The pointer of the object a property belongs to (None for array items and extras)."""
    if "/properties/" not in pointer:
        return None
    return pointer.rsplit("/properties/", 1)[0]


# -- people --------------------------------------------------------------------------------


@cache
def _name_sources(locale: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """For each folded given and family name, the index of a display name folding to it."""
    out = []
    for folded, shown in (
        (ascii_first_names(locale), first_names(locale)),
        (ascii_last_names(locale), last_names(locale)),
    ):
        first_seen: dict[str, int] = {}
        for i, name in enumerate(shown.items):
            first_seen.setdefault(ascii_fold(name, locale), i)
        out.append(np.array([first_seen[name] for name in folded.items], dtype=np.int64))
    return out[0], out[1]


def person_key_size(locale: str) -> int:
    """Keys of a person: a folded given name, a separator, a folded family name, a number."""
    return (
        len(ascii_first_names(locale))
        * len(HANDLE_SEPARATORS)
        * len(ascii_last_names(locale))
        * len(NUMBER_SUFFIXES)
    )


def person_indices(role: str, keys: Indices, locale: str, domains: Indices | None) -> Indices:
    """The domain index of ``role``'s semantic for each person key (``people.handles`` order)."""
    firsts, lasts = _name_sources(locale)
    first = keys % len(firsts)
    last = (keys // (len(firsts) * len(HANDLE_SEPARATORS))) % len(lasts)
    if role == "first_name":
        return firsts[first]
    if role == "last_name":
        return lasts[last]
    if role == "full_name":
        return firsts[first] + len(first_names(locale)) * lasts[last]
    if role == "username":
        return keys
    assert domains is not None
    return keys + person_key_size(locale) * domains


# -- addresses -----------------------------------------------------------------------------


def postcode_indices(cities: list[str], locale: str) -> Indices:
    """Each town's postcode (index): a fixed function of the town's name, so a town always has
    the same postcode (crc32 is the same on every platform and Python)."""
    size = Postcode().domain_size(locale, {})
    codes = [zlib.crc32(city.encode("utf-8")) for city in cities]
    return np.array(codes, dtype=np.int64) % size


def postcode_for(city: str, locale: str) -> str:
    """The postcode a coherent record gives ``city`` (what the coherence check expects)."""
    return Postcode().values(postcode_indices([city], locale), locale, {})[0]


def region_indices(cities: list[str], locale: str) -> Indices:
    """Each town's region (index into ``Region`` and ``RegionCode`` alike): a fixed function of
    the town's name, salted so that it does not follow the postcode's residue."""
    size = Region().domain_size(locale, {})
    codes = [zlib.crc32(f"region:{city}".encode()) for city in cities]
    return np.array(codes, dtype=np.int64) % size


def region_for(city: str, locale: str) -> tuple[str, str]:
    """The region (name, code) a coherent record gives ``city``."""
    index = region_indices([city], locale)
    return Region().values(index, locale, {})[0], RegionCode().values(index, locale, {})[0]


@dataclass
class CoherentNode(SemanticNode):
    """A semantic column whose values come from its group's key in each row."""

    group: Group | None = None

    def _keys(self, ctx: Context, n: int) -> Indices:
        assert self.group is not None
        if self.group.kind == "person":
            return self.group.keys(ctx, n, person_key_size(self.locale))
        return self.group.keys(ctx, n, City().domain_size(self.locale, {}))

    def domain_size(self) -> int:
        if self.unique and self.semantic.name in UNIQUE_PERSON_ROLES:
            return person_key_size(self.locale)
        return super().domain_size()

    def indices(self, ctx: Context, n: int) -> Indices:
        keys = self._keys(ctx, n)
        role = self.semantic.name
        if role in PERSON_ROLES:
            domains = ctx.stream(self.pointer, "domain").integers(n, 3) if role == "email" else None
            return person_indices(role, keys, self.locale, domains)
        if role == "city":
            return keys
        cities = City().values(keys, self.locale, {})
        if role in {"region", "region_code"}:
            return region_indices(cities, self.locale)
        return postcode_indices(cities, self.locale)


# -- dates ---------------------------------------------------------------------------------


def birth_days(keys: Indices) -> npt.NDArray[np.datetime64]:
    """The birth date of each key (``DateOfBirth`` index order)."""
    return EARLIEST_BIRTH + keys.astype("timedelta64[D]")


def ages_on_reference(births: npt.NDArray[np.datetime64]) -> list[int]:
    """Whole years from each birth date to the reference date."""
    years = births.astype("datetime64[Y]").astype(np.int64) + 1970
    reference_year = int(str(REFERENCE_DATE)[:4])
    starts = births.astype("datetime64[Y]")
    # birthday this year not reached yet on the reference day (01-01): one year less
    day_of_year = (births - starts.astype("datetime64[D]")).astype(np.int64)
    reference_day = int(
        (REFERENCE_DATE - REFERENCE_DATE.astype("datetime64[Y]").astype("datetime64[D]")).astype(
            np.int64
        )
    )
    ages = reference_year - years - (day_of_year > reference_day)
    out: list[int] = ages.astype(np.int64).tolist()
    return out


def birth_size() -> int:
    """Keys of a birth: the days of ``DateOfBirth``'s range."""
    return DateOfBirth().domain_size("en_US", {})


def birth_indices(keys: Indices) -> Indices:
    """The ``DateOfBirth`` index (earliest day first) of each birth key: key 0 is the latest
    day, the youngest adult, so that the simplest key (a strategy shrinks towards 0) gives
    the simplest person, and an age column its minimum."""
    latest: Indices = birth_size() - 1 - keys
    return latest


@dataclass
class BirthNode(SemanticNode):
    """A date of birth drawn from its object's birth group (the age column reads the same)."""

    group: Group | None = None

    def indices(self, ctx: Context, n: int) -> Indices:
        assert self.group is not None
        return birth_indices(self.group.keys(ctx, n, birth_size()))


@dataclass
class AgeNode(Node):
    """An age in whole years on the reference date, of the birth date its group draws."""

    group: Group
    pointer: str = ""

    def generate(self, ctx: Context, n: int) -> list[Any]:
        births = birth_indices(self.group.keys(ctx, n, birth_size()))
        return ages_on_reference(birth_days(births))

    def describe(self) -> dict[str, Any]:
        return {"generator": "age", "of": "date_of_birth"}


# -- a record's timeline ------------------------------------------------------------------

#: lifecycle words that open a record's timeline (rank 0); ``hire`` for ``hire_date``,
#: ``first`` for ``first_seen``, ``signed`` for ``signed_up_at``
START_WORDS = frozenset(
    {
        "start", "starts", "started", "begin", "begins", "began", "from", "since", "created",
        "opened", "issued", "registered", "admitted", "joined", "hire", "hired", "enrolled",
        "signed", "first", "placed", "ordered", "submitted", "requested", "effective", "onset",
    }
)  # fmt: skip
#: words of the time in between (rank 1): ``last_login_at``, ``current_period_start``
MIDDLE_WORDS = frozenset(
    {"updated", "modified", "changed", "edited", "last", "latest", "current", "renewed"}
)
#: words that close a timeline (rank 2). Left out on purpose, as they mislead: ``due`` (a
#: bill may be paid before or after it), ``next``, ``paid``, ``shipped``, ``delivered``,
#: ``recorded``, ``expected`` (no fixed place against the words above)
END_WORDS = frozenset(
    {
        "end", "ends", "ended", "to", "until", "till", "finish", "finished", "completed",
        "closed", "discharged", "expires", "expired", "expiry", "expiration", "cancelled",
        "canceled", "terminated", "resolved", "deleted", "archived", "churned",
    }
)  # fmt: skip
#: bump when a timeline's dates would be drawn differently (part of the data version)
TIMELINE_VERSION = "1"
_RANKS = {word: rank for rank, words in enumerate((START_WORDS, MIDDLE_WORDS, END_WORDS)) for word in words}  # fmt: skip


def timeline_rank(words: list[str]) -> int | None:
    """A date's place in its record's timeline (0 start, 1 in between, 2 end) by its name's
    words, else None: an end word wins over a middle word, a middle word over a start word
    (``current_period_end`` 2, ``current_period_start`` 1, ``started_at`` 0)."""
    ranks = [_RANKS[word] for word in words if word in _RANKS]
    return max(ranks) if ranks else None


@dataclass
class Timeline(Group):
    """The dates of one format of one object whose names carry a lifecycle word."""

    #: the ranks the object's members have (filled while planning)
    ranks: set[int] = field(default_factory=set)


def timelines(groups: Mapping[Any, Group]) -> list[Timeline]:
    """The timelines among a plan's groups."""
    return [group for group in groups.values() if isinstance(group, Timeline)]


@dataclass
class TimelineNode(TemporalNode):
    """A date (or date-time) of a record's timeline: never after a member of a higher rank.

    Per row, cut points shared by the timeline's members (the group's key) split the window
    into one segment per rank present, in rank order; each member draws its own position
    in its rank's segment (a key of its own), so members of one rank get no order between
    them. Two cuts are two uniforms of the window: a start leans to the window's beginning,
    an end to its end, a middle rank to its middle.
    """

    group: Timeline | None = None
    rank: int = 0

    def indices(self, ctx: Context, n: int) -> Indices:
        assert self.group is not None
        size = self.domain_size()
        ranks = sorted(self.group.ranks)
        if len(ranks) < 2:
            # nothing to keep in order: drawn as any date is (and the same bytes)
            return super().indices(ctx, n)
        keys = self.group.keys(ctx, n, size * size)
        first, second = keys % size, keys // size
        cuts = [first]
        if len(ranks) == 3:
            cuts = [np.minimum(first, second), np.maximum(first, second)]
        edges = [np.zeros(n, dtype=np.int64), *cuts, np.full(n, size - 1, dtype=np.int64)]
        segment = ranks.index(self.rank)
        low, high = edges[segment], edges[segment + 1]
        own = Group("timeline-member", self.pointer).keys(ctx, n, size)
        positions: Indices = low + own * (high - low + 1) // size
        return positions
