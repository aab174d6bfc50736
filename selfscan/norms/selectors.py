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

    @property
    def from_streefniveau(self) -> bool:
        return any(not source.counts_for_norm for source in self.sources)


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
    dropped: list[DroppedStatement]
    reworded: list[Change]
    merged: list[Change]
    splits: list[Split]
    promoted: list[Change]
    same: int
    themes: list[ThemeOrigin]
    split_themes: list[tuple[Theme, list[Theme]]]
    counts: list[CountRow]


def version_changes(new: NormVersion) -> VersionChanges | None:
    """What changed from `new.previous` to `new`, from the lineage in the file.

    None when the version has no previous version. Promoted statements include merged ones of
    which a source was a streefniveau statement (it did not count for the norm before).
    """
    old = new.previous
    if old is None:
        return None
    new_statements = list(
        new.statements.select_related("theme").prefetch_related(
            Prefetch("derived_from", queryset=Statement.objects.select_related("theme"))
        )
    )
    old_statements = list(old.statements.select_related("theme"))
    dropped = list(
        new.dropped.select_related("statement__theme").order_by(
            "statement__theme__order", "statement__order"
        )
    )

    added, reworded, merged, promoted = [], [], [], []
    same = 0
    split_groups: dict[int, Split] = {}
    for statement in new_statements:
        sources = list(statement.derived_from.all())
        relation = statement.relation
        change = Change(statement, sources)
        if relation == Statement.Relation.NEW:
            added.append(statement)
        elif relation == Statement.Relation.SAME:
            same += 1
        elif relation == Statement.Relation.REWORDED:
            change.diff = word_diff(sources[0].text, statement.text) if sources else []
            reworded.append(change)
        elif relation == Statement.Relation.MERGED:
            merged.append(change)
        elif relation == Statement.Relation.SPLIT:
            for source in sources:
                split_groups.setdefault(source.pk, Split(source, [])).successors.append(statement)
        if relation == Statement.Relation.PROMOTED or (
            relation == Statement.Relation.MERGED and change.from_streefniveau
        ):
            promoted.append(change)

    origins: dict[int, set[int]] = defaultdict(set)
    theme_by_id: dict[int, Theme] = {}
    for statement in new_statements:
        theme_by_id[statement.theme_id] = statement.theme
        for source in statement.derived_from.all():
            origins[statement.theme_id].add(source.theme_id)
            theme_by_id[source.theme_id] = source.theme
    for statement in old_statements:
        theme_by_id.setdefault(statement.theme_id, statement.theme)
    new_themes = list(new.themes.order_by("order", "code"))
    theme_origins = [
        ThemeOrigin(
            theme,
            sorted(
                (theme_by_id[pk] for pk in origins.get(theme.pk, set())),
                key=lambda t: (t.order, t.code),
            ),
            not origins.get(theme.pk),
        )
        for theme in new_themes
    ]
    successors: dict[int, list[Theme]] = defaultdict(list)
    for origin in theme_origins:
        for old_theme in origin.origins:
            successors[old_theme.pk].append(origin.theme)
    split_themes = [
        (theme_by_id[pk], themes) for pk, themes in successors.items() if len(themes) > 1
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
    )
