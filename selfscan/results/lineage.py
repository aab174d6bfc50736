"""Which statements of a norm version can be compared with which of an earlier version.

Plain data in, a mapping out (no ORM). A statement is comparable with its predecessors when it
is marked `comparable` and derives from statements of the previous version (`derived_from`, or
the same `concept_key`); over several versions (v1 → v2 → v3) every step must be comparable.
Otherwise it is "nieuw" (no predecessor) or "niet vergelijkbaar".
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

COMPARABLE = "vergelijkbaar"
NEW = "nieuw"
NOT_COMPARABLE = "niet_vergelijkbaar"


@dataclass(frozen=True)
class StatementLink:
    id: int
    concept_key: str
    comparable: bool = True
    relation: str = ""
    derived_from: tuple[int, ...] = ()


@dataclass(frozen=True)
class Mapping:
    status: str
    previous_ids: tuple[int, ...] = ()

    @property
    def is_comparable(self) -> bool:
        return self.status == COMPARABLE


def map_step(
    current: Iterable[StatementLink], previous: Iterable[StatementLink]
) -> dict[int, Mapping]:
    """Map each statement of a version to statements of the version just before it."""
    previous_list = list(previous)
    previous_ids = {link.id for link in previous_list}
    by_concept = {link.concept_key: link.id for link in previous_list}
    result: dict[int, Mapping] = {}
    for link in current:
        sources = tuple(sorted(i for i in link.derived_from if i in previous_ids))
        if not sources and link.concept_key in by_concept:
            sources = (by_concept[link.concept_key],)
        if not sources or link.relation == NEW:
            result[link.id] = Mapping(NEW)
        elif link.comparable:
            result[link.id] = Mapping(COMPARABLE, sources)
        else:
            result[link.id] = Mapping(NOT_COMPARABLE, sources)
    return result


def identity(statements: Iterable[StatementLink]) -> dict[int, Mapping]:
    """The same version in both rounds: every statement compares with itself."""
    return {link.id: Mapping(COMPARABLE, (link.id,)) for link in statements}


def compose(steps: Sequence[dict[int, Mapping]]) -> dict[int, Mapping]:
    """Chain steps newest first: step 0 maps vN → vN-1, step 1 maps vN-1 → vN-2, ..."""
    if not steps:
        return {}
    result = dict(steps[0])
    for step in steps[1:]:
        chained: dict[int, Mapping] = {}
        for statement_id, mapping in result.items():
            if mapping.status == NEW:
                chained[statement_id] = mapping
                continue
            targets = [step.get(i, Mapping(NEW)) for i in mapping.previous_ids]
            ids = tuple(sorted({t for m in targets for t in m.previous_ids}))
            if not ids:
                chained[statement_id] = Mapping(NEW)
            elif mapping.is_comparable and all(m.is_comparable for m in targets):
                chained[statement_id] = Mapping(COMPARABLE, ids)
            else:
                chained[statement_id] = Mapping(NOT_COMPARABLE, ids)
        result = chained
    return result
