"""Breakdowns: every question's summary per group of one closed question, side by side.

Plain functions (no ORM). The small-group rule (decision 0202): a group with fewer respondents
than the survey's minimum is never shown alone. Such groups are merged into one group
"overig"; while "overig" itself is still under the minimum, the smallest remaining group is
merged in too (hiding a small group instead would not protect it: the whole-survey summary
minus the shown groups would give its figures away). The page and the exports say which
groups were merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import summary as s

GROUP_KINDS = {s.YES_NO, s.SINGLE}
OTHER_LABEL = "overig"


@dataclass(frozen=True)
class Group:
    label: str
    respondents: int
    summary: s.SurveySummary
    members: tuple[str, ...] = ()  # for "overig": the groups merged into it


@dataclass(frozen=True)
class Breakdown:
    by: s.QuestionSpec
    minimum: int
    groups: tuple[Group, ...]
    merged: tuple[str, ...]  # labels of the groups merged into "overig", smallest first

    @property
    def question_count(self) -> int:
        return len(self.groups[0].summary.questions) if self.groups else 0


def group_label(spec: s.QuestionSpec, value: Any) -> str:
    """The group a response falls in by its answer to the grouping question."""
    if s.is_blank(value):
        return s.BLANK_LABEL
    if spec.kind == s.YES_NO:
        return s.YES_LABEL if value is True else s.NO_LABEL
    return str(value)


def group_order(spec: s.QuestionSpec) -> list[str]:
    options = [s.YES_LABEL, s.NO_LABEL] if spec.kind == s.YES_NO else list(spec.options)
    return [*options, s.BLANK_LABEL]


def apply_minimum(sizes: Sequence[tuple[str, int]], minimum: int) -> tuple[list[str], list[str]]:
    """(groups shown on their own, groups merged into "overig") for groups with these sizes.

    Empty groups are left out. Groups under `minimum` go to "overig"; while "overig" has
    respondents but fewer than `minimum`, the smallest shown group joins it.
    """
    present = [(name, n) for name, n in sizes if n > 0]
    kept = [(name, n) for name, n in present if n >= minimum]
    merged = [(name, n) for name, n in present if n < minimum]
    merged.sort(key=lambda item: (item[1], item[0]))
    while merged and sum(n for _, n in merged) < minimum and kept:
        smallest = min(kept, key=lambda item: (item[1], item[0]))
        kept.remove(smallest)
        merged.append(smallest)
    return [name for name, _ in kept], [name for name, _ in merged]


def breakdown(
    specs: Sequence[s.QuestionSpec],
    responses: Sequence[dict[str, Any]],
    *,
    by_key: str,
    minimum: int,
) -> Breakdown:
    """Every other question summarised per group of the answer to question `by_key`."""
    by = next(spec for spec in specs if spec.key == by_key)
    if by.kind not in GROUP_KINDS:
        raise ValueError(f"cannot group by a {by.kind} question")
    others = [spec for spec in specs if spec.key != by_key]
    members: dict[str, list[dict[str, Any]]] = {name: [] for name in group_order(by)}
    for response in responses:
        members.setdefault(group_label(by, response.get(by_key)), []).append(response)
    sizes = [(name, len(rows)) for name, rows in members.items()]
    kept, merged = apply_minimum(sizes, minimum)
    groups = [Group(name, len(members[name]), s.summarise(others, members[name])) for name in kept]
    if merged:
        rows = [row for name in merged for row in members[name]]
        groups.append(Group(OTHER_LABEL, len(rows), s.summarise(others, rows), tuple(merged)))
    return Breakdown(by=by, minimum=minimum, groups=tuple(groups), merged=tuple(merged))
