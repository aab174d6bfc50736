"""Checks across fields of a norm file, after the schema (selfscan/norms/schema.py) has passed.

Plain functions without the database: the previous version is passed in as `KnownVersion`
(built by the services from the database or from another file in the same batch). Every problem
is recorded on the ParsedFile with its line and column, in Dutch (gettext source text, so an
English user reads English).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from selfscan.core.yamldata import ParsedFile

from .schema import CARD_KINDS, RELATIONS, SECTORS, STATUSES, NormFile

NVT_CODE = "NVT"
# A derived statement names exactly one previous statement for these relations.
SINGLE_SOURCE = {"gelijk", "herformuleerd", "gesplitst", "gepromoveerd"}
COMPARABLE_RELATIONS = {"gelijk", "herformuleerd"}


@dataclass(frozen=True)
class KnownStatement:
    code: str
    concept_key: str
    counts_for_norm: bool
    text: str = ""


@dataclass
class KnownVersion:
    """What the checks need to know of a version: its statements by code."""

    norm: str
    label: str
    statements: dict[str, KnownStatement] = field(default_factory=dict)

    @classmethod
    def from_file(cls, model: NormFile) -> KnownVersion:
        return cls(
            norm=model.metadata.norm,
            label=model.metadata.versie,
            statements={
                s.code: KnownStatement(s.code, s.concept_key, s.telt_mee, s.tekst)
                for theme in model.themas
                for s in theme.stellingen
            },
        )


def _listing(values: list[str] | tuple[str, ...]) -> str:
    return ", ".join(values)


def check(parsed: ParsedFile[NormFile], previous: KnownVersion | None) -> None:
    """Record every cross-field problem of `parsed` (whose schema check passed).

    `previous` is the version named by `metadata.vorige_versie`, or None when the file names
    none or when it cannot be found (the caller reports that).
    """
    model = parsed.model
    assert model is not None
    _check_metadata(parsed, model)
    _check_scale(parsed, model)
    _check_themes_and_statements(parsed, model)
    _check_lineage(parsed, model, previous)


def _check_metadata(parsed: ParsedFile[NormFile], model: NormFile) -> None:
    meta = model.metadata
    if meta.status not in STATUSES:
        parsed.error_at(
            ("metadata", "status"),
            _("onbekende status %(status)s; kies uit %(choices)s")
            % {"status": repr(meta.status), "choices": _listing(STATUSES)},
        )
    for index, sector in enumerate(meta.sectoren):
        if sector not in SECTORS:
            parsed.error_at(
                ("metadata", "sectoren", index),
                _("onbekende sector %(sector)s; kies uit %(choices)s")
                % {"sector": repr(sector), "choices": _listing(SECTORS)},
            )
    if not meta.sectoren:
        parsed.error_at(("metadata", "sectoren"), _("noem minstens één sector (PO, VO of SV)"))
    for sector, count in Counter(meta.sectoren).items():
        if count > 1:
            parsed.error_at(
                ("metadata", "sectoren"),
                _("sector %(sector)s staat er dubbel in") % {"sector": sector},
            )
    if meta.vorige_versie is not None and meta.vorige_versie == meta.versie:
        parsed.error_at(
            ("metadata", "vorige_versie"), _("de vorige versie kan niet deze versie zelf zijn")
        )


def _check_scale(parsed: ParsedFile[NormFile], model: NormFile) -> None:
    scale = model.schaal
    seen: dict[str, int] = {}
    for index, level in enumerate(scale.niveaus):
        if level.code.upper() == NVT_CODE:
            parsed.error_at(
                ("schaal", "niveaus", index, "code"),
                _(
                    "de code NVT is gereserveerd voor n.v.t.; gebruik 'schaal.nvt' om n.v.t. "
                    "toe te staan"
                ),
            )
        if level.code in seen:
            parsed.error_at(
                ("schaal", "niveaus", index, "code"),
                _("antwoordcode %(code)s komt dubbel voor in de schaal")
                % {"code": repr(level.code)},
            )
        seen.setdefault(level.code, index)
    for index, code in enumerate(scale.voldoende):
        if code not in seen:
            parsed.error_at(
                ("schaal", "voldoende", index),
                _(
                    "code %(code)s telt als voldoende maar staat niet in de schaal "
                    "(de schaal kent: %(known)s)"
                )
                % {"code": repr(code), "known": _listing(list(seen))},
            )
    if set(scale.voldoende) >= set(seen) and seen:
        parsed.error_at(
            ("schaal", "voldoende"),
            _("alle antwoorden tellen als voldoende; minstens één antwoord moet onvoldoende zijn"),
        )


def _check_themes_and_statements(parsed: ParsedFile[NormFile], model: NormFile) -> None:
    version_sectors = set(model.metadata.sectoren)
    theme_codes: dict[str, int] = {}
    statement_codes: dict[str, tuple[int, int]] = {}
    concept_keys: dict[str, str] = {}
    for t, theme in enumerate(model.themas):
        where = ("themas", t)
        if theme.code in theme_codes:
            parsed.error_at(
                (*where, "code"),
                _("themacode %(code)s komt dubbel voor (ook bij thema nummer %(number)s)")
                % {"code": repr(theme.code), "number": theme_codes[theme.code] + 1},
            )
        theme_codes.setdefault(theme.code, t)
        if not theme.stellingen:
            parsed.error_at(
                (*where, "stellingen") if (*where, "stellingen") in parsed.positions else where,
                _("thema %(code)s heeft geen stellingen; een thema heeft minstens één stelling")
                % {"code": theme.code},
            )
        for c, card in enumerate(theme.kaarten):
            if card.soort not in CARD_KINDS:
                parsed.error_at(
                    (*where, "kaarten", c, "soort"),
                    _("onbekende soort kaart %(kind)s; kies uit %(choices)s")
                    % {"kind": repr(card.soort), "choices": _listing(CARD_KINDS)},
                )
            if card.url and not card.url.startswith(("https://", "http://", "/")):
                parsed.error_at(
                    (*where, "kaarten", c, "url"),
                    _("een adres begint met https:// of met / (een pad op deze site)"),
                )
        for s, statement in enumerate(theme.stellingen):
            at = (*where, "stellingen", s)
            if statement.code in statement_codes:
                parsed.error_at(
                    (*at, "code"),
                    _("stellingcode %(code)s komt dubbel voor in deze versie")
                    % {"code": repr(statement.code)},
                )
            statement_codes.setdefault(statement.code, (t, s))
            if statement.concept_key in concept_keys:
                parsed.error_at(
                    (*at, "concept_key"),
                    _("concept_key %(key)s komt dubbel voor in deze versie (ook bij %(code)s)")
                    % {
                        "key": repr(statement.concept_key),
                        "code": concept_keys[statement.concept_key],
                    },
                )
            concept_keys.setdefault(statement.concept_key, statement.code)
            for i, sector in enumerate(statement.geldt_voor):
                if sector not in SECTORS:
                    parsed.error_at(
                        (*at, "geldt_voor", i),
                        _("onbekende sector %(sector)s; kies uit %(choices)s")
                        % {"sector": repr(sector), "choices": _listing(SECTORS)},
                    )
                elif sector not in version_sectors:
                    parsed.error_at(
                        (*at, "geldt_voor", i),
                        _(
                            "sector %(sector)s hoort niet bij deze versie "
                            "(metadata.sectoren: %(sectors)s)"
                        )
                        % {"sector": sector, "sectors": _listing(model.metadata.sectoren)},
                    )
            if len(set(statement.geldt_voor)) != len(statement.geldt_voor):
                parsed.error_at((*at, "geldt_voor"), _("een sector staat er dubbel in"))
            if statement.nvt_toegestaan and model.schaal.nvt is None:
                parsed.error_at(
                    (*at, "nvt_toegestaan"),
                    _(
                        "n.v.t. is toegestaan bij deze stelling, maar de schaal kent geen n.v.t. "
                        "(voeg 'schaal.nvt' toe of zet nvt_toegestaan op false)"
                    ),
                )


def _check_lineage(
    parsed: ParsedFile[NormFile], model: NormFile, previous: KnownVersion | None
) -> None:
    has_previous = model.metadata.vorige_versie is not None
    statements = [
        (t, s, statement)
        for t, theme in enumerate(model.themas)
        for s, statement in enumerate(theme.stellingen)
    ]
    own_codes = {statement.code for _, _, statement in statements}
    split_sources: dict[str, list[str]] = defaultdict(list)
    used_previous: set[str] = set()

    for t, s, statement in statements:
        at: tuple[str | int, ...] = ("themas", t, "stellingen", s)
        lineage = statement.herkomst
        if lineage is None:
            if has_previous:
                parsed.error_at(
                    at,
                    _(
                        "stelling %(code)s heeft geen 'herkomst'; bij een versie met een "
                        "vorige versie is de herkomst verplicht (gebruik relatie: nieuw voor een "
                        "nieuwe stelling)"
                    )
                    % {"code": statement.code},
                )
            continue
        at = (*at, "herkomst")
        if not has_previous:
            parsed.error_at(
                at,
                _("herkomst kan alleen als metadata.vorige_versie is ingevuld"),
            )
            continue
        if lineage.relatie not in RELATIONS:
            parsed.error_at(
                (*at, "relatie"),
                _("onbekende relatie %(relation)s; kies uit %(choices)s")
                % {"relation": repr(lineage.relatie), "choices": _listing(RELATIONS)},
            )
            continue
        sources = lineage.vorige
        if lineage.relatie == "nieuw":
            if sources:
                parsed.error_at(
                    (*at, "vorige"),
                    _(
                        "stelling %(code)s is 'nieuw' maar noemt ook vorige stellingen "
                        "(%(sources)s); kies een andere relatie of laat 'vorige' weg"
                    )
                    % {"code": statement.code, "sources": _listing(sources)},
                )
        elif not sources:
            parsed.error_at(
                (*at, "vorige"),
                _("bij relatie %(relation)s hoort minstens één code van de vorige versie")
                % {"relation": repr(lineage.relatie)},
            )
        elif lineage.relatie in SINGLE_SOURCE and len(sources) != 1:
            parsed.error_at(
                (*at, "vorige"),
                _("bij relatie %(relation)s hoort precies één code van de vorige versie")
                % {"relation": repr(lineage.relatie)},
            )
        elif lineage.relatie == "samengevoegd" and len(sources) < 2:
            parsed.error_at(
                (*at, "vorige"),
                _("bij relatie 'samengevoegd' horen minstens twee codes van de vorige versie"),
            )
        if lineage.vergelijkbaar and lineage.relatie not in COMPARABLE_RELATIONS:
            parsed.error_at(
                (*at, "vergelijkbaar"),
                _(
                    "alleen stellingen met relatie gelijk of herformuleerd zijn vergelijkbaar, "
                    "niet %(relation)s"
                )
                % {"relation": repr(lineage.relatie)},
            )
        if lineage.relatie == "gesplitst":
            for code in sources:
                split_sources[code].append(statement.code)
        used_previous.update(sources)
        if previous is None:
            continue
        for i, code in enumerate(sources):
            known = previous.statements.get(code)
            if known is None:
                parsed.error_at(
                    (*at, "vorige", i),
                    _("code %(code)s bestaat niet in de vorige versie (%(label)s)")
                    % {"code": repr(code), "label": previous.label},
                )
                continue
            if lineage.relatie == "gepromoveerd" and known.counts_for_norm:
                parsed.error_at(
                    (*at, "relatie"),
                    _(
                        "'gepromoveerd' is alleen voor stellingen die in de vorige versie niet "
                        "meetelden (streefniveau); %(code)s telde wel mee"
                    )
                    % {"code": code},
                )
        if (
            lineage.relatie in COMPARABLE_RELATIONS
            and len(sources) == 1
            and sources[0] in previous.statements
            and previous.statements[sources[0]].concept_key != statement.concept_key
        ):
            parsed.error_at(
                (at[0], at[1], at[2], at[3], "concept_key"),
                _(
                    "stelling %(code)s is %(relation)s aan %(source)s en houdt dus dezelfde "
                    "concept_key (%(key)s)"
                )
                % {
                    "code": statement.code,
                    "relation": lineage.relatie,
                    "source": sources[0],
                    "key": repr(previous.statements[sources[0]].concept_key),
                },
            )

    for code, successors in split_sources.items():
        if len(successors) < 2:
            parsed.error_at(
                ("themas",),
                _(
                    "%(code)s is 'gesplitst' maar komt maar in één stelling terug "
                    "(%(successor)s); een splitsing heeft minstens twee nieuwe stellingen"
                )
                % {"code": code, "successor": successors[0]},
            )

    # Concept keys stay with their concept: reusing a previous key for an unrelated statement
    # would make trends compare different things.
    if previous is not None:
        by_key = {known.concept_key: known.code for known in previous.statements.values()}
        for t, s, statement in statements:
            old_code = by_key.get(statement.concept_key)
            sources = statement.herkomst.vorige if statement.herkomst else []
            if old_code is not None and old_code not in sources:
                parsed.error_at(
                    ("themas", t, "stellingen", s, "concept_key"),
                    _(
                        "concept_key %(key)s hoort in de vorige versie bij %(code)s, maar deze "
                        "stelling komt daar niet uit voort"
                    )
                    % {"key": repr(statement.concept_key), "code": old_code},
                )

    dropped_seen: set[str] = set()
    for d, dropped in enumerate(model.vervallen):
        at = ("vervallen", d, "code")
        if not has_previous:
            parsed.error_at(at, _("vervallen stellingen kan alleen met een metadata.vorige_versie"))
            continue
        if dropped.code in dropped_seen:
            parsed.error_at(
                at,
                _("%(code)s staat dubbel in de lijst met vervallen stellingen")
                % {"code": dropped.code},
            )
        dropped_seen.add(dropped.code)
        if dropped.code in own_codes:
            parsed.error_at(
                at,
                _("%(code)s staat bij 'vervallen' maar bestaat nog als stelling in deze versie")
                % {"code": dropped.code},
            )
        elif dropped.code in used_previous:
            parsed.error_at(
                at,
                _(
                    "%(code)s staat bij 'vervallen' maar een stelling in deze versie komt eruit "
                    "voort"
                )
                % {"code": dropped.code},
            )
        elif previous is not None and dropped.code not in previous.statements:
            parsed.error_at(
                at,
                _("code %(code)s bestaat niet in de vorige versie (%(label)s)")
                % {"code": repr(dropped.code), "label": previous.label},
            )

    if previous is not None:
        unaccounted = [
            code
            for code in previous.statements
            if code not in used_previous and code not in dropped_seen
        ]
        if unaccounted:
            parsed.error_at(
                ("vervallen",) if ("vervallen",) in parsed.positions else (),
                _(
                    "deze stellingen van de vorige versie (%(label)s) komen niet terug en staan "
                    "niet bij 'vervallen': %(codes)s"
                )
                % {"label": previous.label, "codes": _listing(unaccounted)},
            )
