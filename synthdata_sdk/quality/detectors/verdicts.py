"""Which of many values hold an identifier that no safe rule covers, judged as a scan would.

For callers that must keep such values out rather than report them (generation redraws a
pattern's strings that spell one): each value is one line of a joined text, so the
detectors read it exactly as the scanner reads one column's values, in one pass each.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from synthdata_sdk.quality.detectors.base import Detector, Text, detectors
from synthdata_sdk.quality.detectors.fields import Field
from synthdata_sdk.quality.profiles import detectors_for


@dataclass(frozen=True)
class Verdict:
    """An unsafe value: its index, the detector that found it, the safe rule it breaks and
    the identifier found."""

    index: int
    detector: str
    rule: str
    found: str

    @property
    def masked(self) -> str:
        """The identifier found, with all but a few characters hidden."""
        return detectors()[self.detector].mask(self.found)


def profile_detectors(profiles: Sequence[str], field: Field) -> tuple[Detector, ...]:
    """The detectors ``profiles`` enforce that read values of ``field``."""
    registry = detectors()
    return tuple(
        detector
        for detector in (registry[name] for name in detectors_for(profiles))
        if detector.active(field)
    )


def unsafe_values(
    values: Sequence[str], field: Field, plan: Sequence[Detector]
) -> dict[int, Verdict]:
    """The values (by index) in which a detector of ``plan`` finds an unsafe identifier."""
    lines = [i for i, value in enumerate(values) if "\n" not in value]
    found = _judged([values[i] for i in lines], lines, field, plan)
    for i, value in enumerate(values):
        if "\n" in value:
            # a value of several lines is read on its own: no candidate crosses into another
            found.update(_judged([value], [i], field, plan))
    return found


def _judged(
    values: Sequence[str], indices: Sequence[int], field: Field, plan: Sequence[Detector]
) -> dict[int, Verdict]:
    """``unsafe_values`` of ``values`` joined with newlines, reported by ``indices``."""
    found: dict[int, Verdict] = {}
    if not values:
        return found
    joined = "\n".join(values)
    # where each value starts in ``joined``
    starts = list(accumulate((len(v) + 1 for v in values[:-1]), initial=0))
    text = Text(joined)
    for detector in plan:
        if detector.needles and not any(n in joined for n in detector.needles):
            continue
        for start, end in detector.candidates(text, field):
            index = indices[bisect_right(starts, start) - 1]
            if index in found:
                continue
            rule = detector.judge(joined[start:end], field)
            if rule is not None:
                found[index] = Verdict(index, detector.name, rule, joined[start:end])
    return found
