"""Reading norm versions: the list, one version by sector, and what changed between versions."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import DroppedStatement, NormVersion, Statement, Theme
from .schema import SECTORS, NormFile

# --- the list and one version ----------------------------------------------------------------


def version_list() -> QuerySet[NormVersion]:
    """All versions, newest first per norm, with their theme and statement counts (one query)."""
    return (
        NormVersion.objects.select_related("norm", "previous")
        .annotate(
            theme_count=Count("themes", distinct=True),
            statement_count=Count("statements", distinct=True),
            counted_count=Count(
                "statements", filter=Q(statements__counts_for_norm=True), distinct=True
            ),
        )
        .order_by("norm__key", "-label")
    )


def version_queryset() -> QuerySet[NormVersion]:
    return NormVersion.objects.select_related("norm", "previous")


@dataclass
class SectorCount:
    sector: str
    statements: int
    counted: int


def sector_counts(statements: list[Statement]) -> list[SectorCount]:
    """Per sector: how many statements apply, and how many of those count for the norm."""
    return [
        SectorCount(
            sector,
            sum(1 for s in statements if sector in s.sectors),
            sum(1 for s in statements if sector in s.sectors and s.counts_for_norm),
        )
        for sector in SECTORS
    ]


@dataclass
class ThemeView:
    theme: Theme
    statements: list[Statement]


@dataclass
class VersionView:
    version: NormVersion
    themes: list[ThemeView]
    counts: list[SectorCount]
    sector: str | None


def version_view(version: NormVersion, sector: str | None = None) -> VersionView:
    """A version's scale, themes and statements (only those of `sector` when given).

    Three queries: scale, themes, statements with their lineage sources.
    """
    statements = list(
        version.statements.select_related("theme").prefetch_related(
            Prefetch("derived_from", queryset=Statement.objects.only("id", "code", "version_id"))
        )
    )
    counts = sector_counts(statements)
    by_theme: dict[int, list[Statement]] = defaultdict(list)
    for statement in statements:
        if sector is None or sector in statement.sectors:
            by_theme[statement.theme_id].append(statement)
    themes = [
        ThemeView(theme, by_theme.get(theme.pk, []))
        for theme in version.themes.order_by("order", "code")
    ]
    if sector is not None:
        themes = [view for view in themes if view.statements]
    return VersionView(version, themes, counts, sector)


# --- preview of an uploaded file -----------------------------------------------------------------


@dataclass
class PreviewTheme:
    code: str
    title: str
    counts: dict[str, int]
    total: int


@dataclass
class Preview:
    themes: list[PreviewTheme]
    totals: list[SectorCount]
    statement_count: int
    relations: dict[str, int]
    dropped: int


def file_preview(model: NormFile) -> Preview:
    """Themes and statement counts per sector of a validated file (before it is loaded)."""
    themes = []
    totals = {sector: [0, 0] for sector in SECTORS}
    relations: dict[str, int] = defaultdict(int)
    count = 0
    for theme in model.themas:
        per_sector = dict.fromkeys(SECTORS, 0)
        for statement in theme.stellingen:
            count += 1
            if statement.herkomst:
                relations[statement.herkomst.relatie] += 1
            for sector in statement.geldt_voor:
                per_sector[sector] += 1
                totals[sector][0] += 1
                totals[sector][1] += int(statement.telt_mee)
        themes.append(PreviewTheme(theme.code, theme.titel, per_sector, len(theme.stellingen)))
    return Preview(
        themes=themes,
        totals=[SectorCount(sector, *totals[sector]) for sector in SECTORS],
        statement_count=count,
        relations=dict(relations),
        dropped=len(model.vervallen),
    )


# --- what changed ---------------------------------------------------------------------------


@dataclass
class WordPart:
    kind: str  # "same", "removed" or "added"
    text: str


def word_diff(old: str, new: str) -> list[WordPart]:
    """A word-level diff of two texts (difflib), as parts to render with <del> and <ins>."""
    a, b = old.split(), new.split()
    parts: list[WordPart] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(WordPart("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(WordPart("removed", " ".join(a[i1:i2])))
        if j2 > j1:
            parts.append(WordPart("added", " ".join(b[j1:j2])))
    return parts


@dataclass
class Change:
    statement: Statement
    sources: list[Statement]
    diff: list[WordPart] = field(default_factory=list)
    comparable: bool = False

    @property
    def from_streefniveau(self) -> bool:
        return any(not source.counts_for_norm for source in self.sources)


@dataclass
class Dropped:
    statement: Statement
    note: str


@dataclass
class Split:
    source: Statement
    successors: list[Statement]


@dataclass
class ThemeOrigin:
    theme: Theme
    origins: list[Theme]
    is_new: bool


@dataclass
class CountRow:
    sector: str
    before: int
    before_counted: int
    after: int
    after_counted: int


@dataclass
class VersionChanges:
    old: NormVersion
    new: NormVersion
    added: list[Statement]
    dropped: list[Dropped]
    reworded: list[Change]
    merged: list[Change]
    splits: list[Split]
    promoted: list[Change]
    same: int
    themes: list[ThemeOrigin]
    split_themes: list[tuple[Theme, list[Theme]]]
    counts: list[CountRow]
    steps: int


def earlier_versions(version: NormVersion) -> list[NormVersion]:
    """The versions before `version`, nearest first (following `previous`)."""
    chain: list[NormVersion] = []
    current = version
    while current.previous_id is not None and len(chain) < 50:
        current = NormVersion.objects.select_related("norm", "previous").get(pk=current.previous_id)
        chain.append(current)
    return chain


def version_changes(new: NormVersion, old: NormVersion | None = None) -> VersionChanges | None:
    """What changed from `old` (default: the previous version) to `new`, from the lineage.

    `old` may be any earlier version of the chain (2024 → 2026 through 2025): each statement of
    `new` is followed back step by step to its ancestors in `old`. Categories:
    - new: no ancestor in `old`; dropped: an `old` statement without descendant in `new`;
    - same: every step `gelijk`; reworded: one ancestor, every step gelijk/herformuleerd
      (with a word diff of the two texts);
    - merged: two or more ancestors; split: the ancestor has two or more descendants;
    - promoted: an ancestor did not count for the norm (streefniveau) and the statement does
      (merged statements with a streefniveau source are listed under merged as well).
    None when `old` is not an earlier version of `new`.
    """
    chain = earlier_versions(new)
    if old is None:
        old = chain[0] if chain else None
    if old is None or old.pk not in {v.pk for v in chain}:
        return None
    between = chain[: [v.pk for v in chain].index(old.pk) + 1]
    version_ids = [new.pk, *(v.pk for v in between)]
    statements = list(
        Statement.objects.filter(version_id__in=version_ids)
        .select_related("theme")
        .prefetch_related(Prefetch("derived_from", queryset=Statement.objects.only("id")))
    )
    by_pk = {s.pk: s for s in statements}
    parents = {s.pk: [p.pk for p in s.derived_from.all()] for s in statements}
    new_statements = [s for s in statements if s.version_id == new.pk]
    old_statements = [s for s in statements if s.version_id == old.pk]

    def trace(statement: Statement) -> tuple[list[Statement], set[str], bool]:
        """Ancestors in `old`, the relations met on the way, and comparable all the way."""
        ancestors: dict[int, Statement] = {}
        relations: set[str] = set()
        comparable = True
        frontier = [statement.pk]
        seen: set[int] = set()
        while frontier:
            pk = frontier.pop()
            if pk in seen or pk not in by_pk:
                continue
            seen.add(pk)
            current = by_pk[pk]
            if current.version_id == old.pk:
                ancestors[pk] = current
                continue
            relations.add(current.relation)
            comparable = comparable and current.comparable
            frontier.extend(parents.get(pk, []))
        ordered = sorted(ancestors.values(), key=lambda s: (s.theme.order, s.order, s.code))
        return ordered, relations, comparable and bool(ordered)

    traced = {s.pk: trace(s) for s in new_statements}
    descendants: dict[int, list[Statement]] = defaultdict(list)
    for statement in new_statements:
        for ancestor in traced[statement.pk][0]:
            descendants[ancestor.pk].append(statement)

    added: list[Statement] = []
    reworded: list[Change] = []
    merged: list[Change] = []
    promoted: list[Change] = []
    split_groups: dict[int, Split] = {}
    same = 0
    for statement in new_statements:
        ancestors, relations, comparable = traced[statement.pk]
        change = Change(statement, ancestors, comparable=comparable)
        is_promoted = statement.counts_for_norm and change.from_streefniveau
        if not ancestors:
            added.append(statement)
            continue
        if is_promoted:
            promoted.append(change)
        if len(ancestors) > 1:
            merged.append(change)
        elif len(descendants[ancestors[0].pk]) > 1:
            split_groups.setdefault(
                ancestors[0].pk, Split(ancestors[0], descendants[ancestors[0].pk])
            )
        elif is_promoted:
            continue
        elif relations == {Statement.Relation.SAME}:
            same += 1
        else:
            change.diff = word_diff(ancestors[0].text, statement.text)
            reworded.append(change)

    notes = dict(
        DroppedStatement.objects.filter(version_id__in=version_ids).values_list(
            "statement_id", "note"
        )
    )
    dropped = [
        Dropped(statement, notes.get(statement.pk, ""))
        for statement in sorted(old_statements, key=lambda s: (s.theme.order, s.order))
        if statement.pk not in descendants
    ]

    new_themes = list(new.themes.order_by("order", "code"))
    origins: dict[int, dict[int, Theme]] = defaultdict(dict)
    for statement in new_statements:
        for ancestor in traced[statement.pk][0]:
            origins[statement.theme_id][ancestor.theme_id] = ancestor.theme
    theme_origins = [
        ThemeOrigin(
            theme,
            sorted(origins[theme.pk].values(), key=lambda t: (t.order, t.code)),
            not origins[theme.pk],
        )
        for theme in new_themes
    ]
    successors: dict[int, list[Theme]] = defaultdict(list)
    old_themes: dict[int, Theme] = {}
    for origin in theme_origins:
        for old_theme in origin.origins:
            successors[old_theme.pk].append(origin.theme)
            old_themes[old_theme.pk] = old_theme
    split_themes = [
        (old_themes[pk], themes) for pk, themes in successors.items() if len(themes) > 1
    ]

    before = sector_counts(old_statements)
    after = sector_counts(new_statements)
    counts = [
        CountRow(b.sector, b.statements, b.counted, a.statements, a.counted)
        for b, a in zip(before, after, strict=True)
    ]
    return VersionChanges(
        old=old,
        new=new,
        added=added,
        dropped=dropped,
        reworded=reworded,
        merged=merged,
        splits=list(split_groups.values()),
        promoted=promoted,
        same=same,
        themes=theme_origins,
        split_themes=split_themes,
        counts=counts,
        steps=len(between),
    )
