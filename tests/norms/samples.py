"""Small norm files for tests: a first version, a second that builds on it, and helpers."""

from pathlib import Path

from django.conf import settings

from selfscan.norms.models import Statement
from selfscan.norms.services import NormSource, load_norm_files

V1 = """\
metadata:
  norm: testnorm
  naam: Testnorm
  versie: "1"
  titel: Testnorm versie 1
  vastgesteld_op: 2024-12-01
  sectoren: [PO, VO]
schaal:
  niveaus:
    - {code: "1", label: Onvoldoende}
    - {code: "2", label: Matig}
    - {code: "3", label: Voldoende}
    - {code: "4", label: Goed}
  voldoende: ["3", "4"]
  nvt: {label: Niet van toepassing}
themas:
  - code: A
    titel: Beleid
    stellingen:
      - code: A.1
        concept_key: t.profiel
        tekst: De school heeft een profiel.
        geldt_voor: [PO, VO]
      - code: A.2
        concept_key: t.plusklas
        tekst: De school heeft een plusklas.
        geldt_voor: [PO]
        telt_mee: false
  - code: B
    titel: Onderwijs
    stellingen:
      - code: B.1
        concept_key: t.instructie
        tekst: Leraren geven verlengde instructie.
        geldt_voor: [PO, VO]
        nvt_toegestaan: true
      - code: B.2
        concept_key: t.ouders-keten
        tekst: Ouders en ketenpartners worden betrokken.
        geldt_voor: [PO, VO]
"""

V2 = """\
metadata:
  norm: testnorm
  naam: Testnorm
  versie: "2"
  titel: Testnorm versie 2
  sectoren: [PO, VO, SV]
  vorige_versie: "1"
schaal:
  niveaus:
    - {code: "1", label: Onvoldoende}
    - {code: "2", label: Matig}
    - {code: "3", label: Voldoende}
    - {code: "4", label: Goed}
  voldoende: ["3", "4"]
  nvt: {label: Niet van toepassing}
themas:
  - code: A
    titel: Beleid
    stellingen:
      - code: A.1
        concept_key: t.profiel
        tekst: De school heeft een actueel profiel.
        geldt_voor: [PO, VO, SV]
        herkomst: {relatie: herformuleerd, vorige: [A.1], vergelijkbaar: true}
  - code: B
    titel: Onderwijs
    stellingen:
      - code: B.1
        concept_key: t.instructie
        tekst: Leraren geven verlengde instructie.
        geldt_voor: [PO, VO, SV]
        nvt_toegestaan: true
        herkomst: {relatie: gelijk, vorige: [B.1], vergelijkbaar: true}
      - code: B.3
        concept_key: t.ouders
        tekst: Ouders worden betrokken.
        geldt_voor: [PO, VO, SV]
        herkomst: {relatie: gesplitst, vorige: [B.2]}
      - code: B.4
        concept_key: t.keten
        tekst: Ketenpartners worden betrokken.
        geldt_voor: [PO, VO, SV]
        herkomst: {relatie: gesplitst, vorige: [B.2]}
      - code: B.5
        concept_key: t.hoorrecht
        tekst: De leerling wordt gehoord.
        geldt_voor: [SV]
        herkomst: {relatie: nieuw}
vervallen:
  - code: A.2
    toelichting: Streefniveau vervallen.
"""

V3 = """\
metadata:
  norm: anb
  naam: Almeerse Norm Basisondersteuning
  versie: "2026"
  titel: ANB 2026 (test)
  sectoren: [PO, VO, SV]
  vorige_versie: "2025"
schaal:
  niveaus:
    - {code: "1", label: Onvoldoende}
    - {code: "2", label: Matig}
    - {code: "3", label: Voldoende}
    - {code: "4", label: Goed}
  voldoende: ["3", "4"]
  nvt: {label: Niet van toepassing}
themas:
  - code: T01
    titel: Alles in één thema
    stellingen:
      - code: T01.01
        concept_key: anb.sop-actueel
        tekst: De school heeft een actueel schoolondersteuningsprofiel.
        geldt_voor: [PO, VO, SV]
        herkomst: {relatie: herformuleerd, vorige: [T01.01], vergelijkbaar: true}
      - code: T01.20
        concept_key: anb.dyslexie-kaart
        tekst: De school werkt met de themakaart dyslexie.
        geldt_voor: [PO, VO, SV]
        herkomst: {relatie: samengevoegd, vorige: [T06.03, T06.04]}
vervallen:
"""


def v3_text() -> str:
    """Version 3 keeps two statements of 2025 and drops the other 66 explicitly."""
    kept = {"T01.01", "T06.03", "T06.04"}
    codes = Statement.objects.filter(version__norm__key="anb", version__label="2025").values_list(
        "code", flat=True
    )
    return V3 + "".join(f"  - code: {code}\n" for code in sorted(set(codes) - kept))


def as_concept(text: str) -> str:
    """The same norm file with `status: concept` (an unpublished version)."""
    return text.replace("  sectoren:", "  status: concept\n  sectoren:", 1)


NORMS_DIR = Path(settings.BASE_DIR) / "norms"


def source(text: str | bytes, name: str = "test.yaml") -> NormSource:
    return NormSource(name=name, content=text.encode("utf-8") if isinstance(text, str) else text)


def shipped(name: str) -> NormSource:
    return NormSource(name=f"norms/{name}", content=(NORMS_DIR / name).read_bytes())


def load_shipped():
    report = load_norm_files([shipped("anb-2024.yaml"), shipped("anb-2025.yaml")])
    assert report.errors == []
    return report


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the `occurrence`-th line containing `needle`."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in text")
