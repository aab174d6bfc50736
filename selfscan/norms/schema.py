"""The norm file format: ONE pydantic schema for `norms/*.yaml`.

The keys are Dutch because partnership staff write these files with a text editor. The same
classes produce the field table in `norms/README.md` (`manage.py norm_schema_docs`), so the
documentation cannot drift from what the loader accepts. Checks that span fields (duplicate
codes, lineage, sectors) live in `selfscan/norms/validation.py`.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

SECTORS = ("PO", "VO", "SV")
STATUSES = ("concept", "vastgesteld", "vervallen")
RELATIONS = ("gelijk", "herformuleerd", "samengevoegd", "gesplitst", "gepromoveerd", "nieuw")
CARD_KINDS = ("themakaart", "ondersteuningskaart", "kenniskaart", "overig")

# Maximum lengths; the database columns are at least this long.
MAX_CODE = 20
MAX_TITLE = 200
MAX_STATEMENT = 500
MAX_HELP = 2000
MAX_GUIDANCE = 8000


def _number_to_text(value: Any) -> Any:
    """`versie: 2025` and `code: 1` are numbers in YAML; the format treats them as text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
_AsText = BeforeValidator(_number_to_text)

Code = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=MAX_CODE, pattern=_CODE_PATTERN
    ),
    _AsText,
]
Label = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=20, pattern=_CODE_PATTERN),
    _AsText,
]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE), _AsText
]
StatementText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_STATEMENT), _AsText
]
HelpText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_HELP), _AsText]
LongText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=MAX_GUIDANCE), _AsText
]
UrlText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
ConceptKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,79}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Metadata(Strict):
    """Which norm and version this file holds."""

    norm: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,50}$")] = Field(
        description="Sleutel van de norm, kleine letters (bijv. `anb`). Alle versies van één "
        "norm hebben dezelfde sleutel."
    )
    naam: Title = Field(description="Naam van de norm (bijv. *Almeerse Norm Basisondersteuning*).")
    versie: Label = Field(description="Versielabel (bijv. `2025`); uniek binnen de norm.")
    titel: Title = Field(description="Titel van deze versie, zoals gebruikers hem zien.")
    vastgesteld_op: datetime.date | None = Field(
        default=None, description="Datum van vaststelling (JJJJ-MM-DD)."
    )
    status: str = Field(
        default="vastgesteld", description="`concept`, `vastgesteld` of `vervallen`."
    )
    sectoren: list[str] = Field(
        description="Sectoren waarvoor deze versie geldt: deelverzameling van `PO`, `VO`, `SV`."
    )
    vorige_versie: Label | None = Field(
        default=None,
        description="Label van de vorige versie van dezelfde norm; verplicht zodra `herkomst` of "
        "`vervallen` wordt gebruikt.",
    )
    wijzigingen: LongText = Field(
        default="",
        description="Korte beschrijving van wat er ten opzichte van de vorige versie is veranderd.",
    )


class ScaleLevel(Strict):
    """One answer on the scale (e.g. 3 Voldoende)."""

    code: Code = Field(description="Antwoordcode (bijv. `3`). `NVT` is gereserveerd.")
    label: Title = Field(description="Label van het antwoord (bijv. *Voldoende*).")
    toelichting: HelpText = Field(
        default="", description="Uitleg voor wie invult: wanneer kiest u dit antwoord."
    )


class NotApplicable(Strict):
    """The n.v.t. answer, when the scale has one."""

    label: Title = Field(default="Niet van toepassing", description="Label van n.v.t.")
    toelichting: HelpText = Field(default="", description="Uitleg bij n.v.t.")


class Scale(Strict):
    """The answer scale of the version."""

    niveaus: list[ScaleLevel] = Field(
        min_length=2, description="De antwoorden, van laag naar hoog (minstens twee)."
    )
    voldoende: list[Code] = Field(
        min_length=1,
        description='Codes die tellen als *voldoende of hoger* (bijv. `["3", "4"]`).',
    )
    nvt: NotApplicable | None = Field(
        default=None,
        description="Aanwezig als de schaal n.v.t. kent; weglaten als n.v.t. niet bestaat.",
    )


class Card(Strict):
    """A link from a theme to a related card (ondersteuningskaart, kenniskaart)."""

    soort: str = Field(
        default="kenniskaart",
        description="`themakaart`, `ondersteuningskaart`, `kenniskaart` of `overig`.",
    )
    titel: Title = Field(description="Titel van de kaart.")
    url: UrlText = Field(
        default="", description="Adres van de kaart (https://… of een pad op deze site)."
    )


class Lineage(Strict):
    """Where a statement comes from in the previous version."""

    relatie: str = Field(
        description="`gelijk`, `herformuleerd`, `samengevoegd`, `gesplitst`, `gepromoveerd` "
        "(uit streefniveau) of `nieuw`."
    )
    vorige: list[Code] = Field(
        default_factory=list,
        description="Codes in de vorige versie waar deze stelling uit voortkomt (leeg bij "
        "`nieuw`).",
    )
    vergelijkbaar: bool = Field(
        default=False,
        description="`true` als de antwoorden over de versies heen vergelijkbaar zijn voor "
        "trends (alleen bij `gelijk` en `herformuleerd`).",
    )


class StatementSpec(Strict):
    """One statement (stelling) of the zelfscan."""

    code: Code = Field(description="Code van de stelling in deze versie (bijv. `T06.03`).")
    concept_key: ConceptKey = Field(
        description="Vaste sleutel van het begrip, gelijk over de versies heen (hoogstens 80 "
        "tekens: kleine letters, cijfers, `-`, `.`, `_`)."
    )
    tekst: StatementText = Field(description=f"De stelling (hoogstens {MAX_STATEMENT} tekens).")
    hulptekst: HelpText = Field(default="", description="Uitleg of voorbeelden voor wie invult.")
    geldt_voor: list[str] = Field(
        min_length=1, description="Sectoren waarvoor de stelling geldt (`PO`, `VO`, `SV`)."
    )
    nvt_toegestaan: bool = Field(
        default=False,
        description="`true` als de school n.v.t. mag antwoorden (met verplichte uitleg); kan "
        "alleen als de schaal n.v.t. kent.",
    )
    telt_mee: bool = Field(
        default=True,
        description="`false` voor stellingen die wel beantwoord worden maar nooit meetellen "
        "voor de norm (zoals het streefniveau van 2024).",
    )
    labels: list[Code] = Field(
        default_factory=list, description="Labels, bijv. `LN-TAAL` of `KAART-DYS`."
    )
    volgorde: int | None = Field(
        default=None, description="Volgorde binnen het thema; standaard de plaats in de lijst."
    )
    herkomst: Lineage | None = Field(
        default=None,
        description="Verplicht als de versie een `vorige_versie` heeft; weglaten bij de eerste "
        "versie.",
    )


class ThemeSpec(Strict):
    """A theme (themakaart) with its statements."""

    code: Code = Field(description="Code van het thema (bijv. `T06`).")
    titel: Title = Field(description="Titel van het thema.")
    inleiding: HelpText = Field(default="", description="Korte inleiding op het thema.")
    handreiking: LongText = Field(
        default="",
        description="Themakaart: wat kan een school doen als zij op dit thema laag scoort.",
    )
    kaarten: list[Card] = Field(
        default_factory=list, description="Verwante ondersteunings- en kenniskaarten."
    )
    volgorde: int | None = Field(
        default=None, description="Volgorde van het thema; standaard de plaats in de lijst."
    )
    stellingen: list[StatementSpec] = Field(
        default_factory=list, description="De stellingen van het thema (minstens één)."
    )


class Dropped(Strict):
    """A statement of the previous version that this version drops."""

    code: Code = Field(description="Code van de vervallen stelling in de vorige versie.")
    toelichting: HelpText = Field(default="", description="Waarom de stelling vervalt.")


class NormFile(Strict):
    """A whole norm file: one version of one norm."""

    metadata: Metadata = Field(description="Welke norm en versie.")
    schaal: Scale = Field(description="De antwoordschaal.")
    themas: list[ThemeSpec] = Field(min_length=1, description="De thema's, met hun stellingen.")
    vervallen: list[Dropped] = Field(
        default_factory=list,
        description="Stellingen van de vorige versie die niet terugkomen.",
    )


# --- documentation ---------------------------------------------------------------------------

DOC_SECTIONS: list[tuple[str, type[BaseModel]]] = [
    ("(bovenste niveau)", NormFile),
    ("metadata", Metadata),
    ("schaal", Scale),
    ("schaal.niveaus[]", ScaleLevel),
    ("schaal.nvt", NotApplicable),
    ("themas[]", ThemeSpec),
    ("themas[].kaarten[]", Card),
    ("themas[].stellingen[]", StatementSpec),
    ("themas[].stellingen[].herkomst", Lineage),
    ("vervallen[]", Dropped),
]


def _type_name(annotation: Any) -> str:
    text = repr(annotation)
    if annotation is bool:
        return "ja/nee (`true`/`false`)"
    if annotation is int or text == "int | None":
        return "geheel getal"
    if "date" in text:
        return "datum"
    if "list" in text:
        if any(name in text for name in ("ThemeSpec", "StatementSpec", "ScaleLevel", "Card")):
            return "lijst van blokken"
        if "Dropped" in text:
            return "lijst van blokken"
        return "lijst van teksten"
    if any(name in text for name in ("Metadata", "Scale", "NotApplicable", "Lineage")):
        return "blok"
    return "tekst"


def _max_length(field: Any) -> str:
    for item in field.metadata:
        limit = getattr(item, "max_length", None)
        if limit:
            return str(limit)
    annotation = field.annotation
    for item in getattr(annotation, "__metadata__", ()):
        limit = getattr(item, "max_length", None)
        if limit:
            return str(limit)
    return ""


def field_table() -> str:
    """The Markdown field table of the format, generated from the schema above."""
    lines = [
        "| plaats | sleutel | soort | verplicht | max. tekens | betekenis |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for where, model in DOC_SECTIONS:
        for name, field in model.model_fields.items():
            required = "ja" if field.is_required() else "nee"
            description = (field.description or "").replace("|", "\\|").replace("\n", " ")
            lines.append(
                f"| `{where}` | `{name}` | {_type_name(field.annotation)} | {required} | "
                f"{_max_length(field)} | {description} |"
            )
    return "\n".join(lines)
