"""A fictional Almere register for `make demo`: 4 stadsdelen, 10 wijken, 8 besturen, 72 PO
schools, 16 VO schools and 6 stedelijke voorzieningen. Names and codes are invented (BRIN codes
90XA-93XP); running it again changes nothing, and names and codes stay stable between releases
(other demo modules attach rounds to these schools)."""

import datetime
from dataclasses import dataclass
from string import ascii_uppercase

from selfscan.core.demo import DemoLogin, Log

from .models import Bestuur, School, Sector, Stadsdeel, Wijk

STADSDELEN = {
    "Stad West": ["Stad 1", "Stad 2"],
    "Stad Oost": ["Stad 3", "Stad 4", "Stad 5"],
    "Haven-Poort-Hout": ["Haven", "Poort", "Hout"],
    "Buiten": ["Buiten 1", "Buiten 2"],
}
WIJKEN = [wijk for wijken in STADSDELEN.values() for wijk in wijken]

# (bevoegd gezag nummer, name); the first five run PO schools, the last three VO schools.
BESTUREN = [
    ("90101", "Stichting Polderkind"),
    ("90102", "Stichting Open Horizon Onderwijs"),
    ("90103", "Vereniging Christelijk Onderwijs Flevokust"),
    ("90104", "Stichting Samen Leren Almere"),
    ("90105", "Stichting Kindcentra Weidewind"),
    ("90201", "Stichting Voortgezet Onderwijs Lepelaar"),
    ("90202", "Scholengroep Meerzicht"),
    ("90203", "Stichting Vakcollege Dijkstra"),
]
PO_BESTUREN = BESTUREN[:5]
VO_BESTUREN = BESTUREN[5:]

ADJECTIVES = ["Blauwe", "Gouden", "Groene", "Zilveren", "Rode", "Witte"]
NOUNS = [
    "Reiger",
    "Vlinder",
    "Eik",
    "Wilg",
    "Ster",
    "Komeet",
    "Windroos",
    "Libel",
    "Zeester",
    "Vuurtoren",
    "Klaproos",
    "Kraanvogel",
]
PO_PREFIXES = ["Basisschool", "Kindcentrum", "OBS", "CBS"]
VO_NAMES = [
    "Lepelaar College",
    "Meerzicht Lyceum",
    "Vakcollege Dijkstra",
    "Flevo Atheneum",
    "Polderpoort Mavo",
    "Kustlicht Havo",
    "Het Brede Dok",
    "Windkracht College",
    "Gouwzee Gymnasium",
    "Stadsbos Scholengemeenschap",
    "Horizon Technasium",
    "Ringvaart College",
    "Noorderplas Praktijkschool",
    "De Nieuwe Kaai",
    "Zuidoever Lyceum",
    "Weidewind Mavo",
]
SV_SCHOOLS = [
    ("SBO De Wegwijzer", "SBO", PO_BESTUREN[0]),
    ("SBO Het Kompas", "SBO", PO_BESTUREN[2]),
    ("SO De Vlieger", "SO", PO_BESTUREN[1]),
    ("SO Het Anker", "SO", PO_BESTUREN[3]),
    ("VSO De Overstap", "VSO", VO_BESTUREN[0]),
    ("VSO Werkplaats Flevo", "VSO", VO_BESTUREN[1]),
]
PO_COUNT = 72
DEMO_START = datetime.date(2015, 8, 1)
MOVED_SCHOOL_WIJK = ("Stad 1", "Stad 2")  # the first PO school moved; its history shows it


def code(index: int) -> str:
    """Fictional vestigingscodes 90XA00, 90XB00, ... (valid format, BRIN 90XA to 93XP)."""
    return f"{90 + index // 26:02d}X{ascii_uppercase[index % 26]}00"


def postcode(index: int) -> str:
    letters = ascii_uppercase[index % 26] + ascii_uppercase[(index * 3) % 26]
    return f"13{(index * 7) % 100:02d} {letters}"


@dataclass(frozen=True)
class DemoSchool:
    code: str
    name: str
    sector: str
    subtype: str
    wijk: str | None
    bestuur: str  # bevoegd gezag nummer


def demo_schools() -> list[DemoSchool]:
    schools = []
    for i in range(PO_COUNT):
        name = f"{PO_PREFIXES[i % 4]} De {ADJECTIVES[i // 12]} {NOUNS[i % 12]}"
        wijk = WIJKEN[i % len(WIJKEN)]
        bestuur = PO_BESTUREN[i % len(PO_BESTUREN)][0]
        schools.append(DemoSchool(code(i), name, Sector.PO, "", wijk, bestuur))
    for j, name in enumerate(VO_NAMES):
        bestuur = VO_BESTUREN[j % len(VO_BESTUREN)][0]
        schools.append(DemoSchool(code(PO_COUNT + j), name, Sector.VO, "", None, bestuur))
    for k, (name, subtype, (number, _name)) in enumerate(SV_SCHOOLS):
        index = PO_COUNT + len(VO_NAMES) + k
        schools.append(DemoSchool(code(index), name, Sector.SV, subtype, None, number))
    return schools


def ensure_register() -> dict[str, int]:
    """Create whatever of the demo register is missing; existing rows are left as they are."""
    created = {"stadsdelen": 0, "wijken": 0, "besturen": 0, "scholen": 0}
    wijken: dict[str, Wijk] = {}
    for stadsdeel_name, wijk_names in STADSDELEN.items():
        stadsdeel, new = Stadsdeel.objects.get_or_create(name=stadsdeel_name)
        created["stadsdelen"] += new
        for wijk_name in wijk_names:
            wijk, new = Wijk.objects.get_or_create(
                name=wijk_name, defaults={"stadsdeel": stadsdeel}
            )
            wijken[wijk_name] = wijk
            created["wijken"] += new
    besturen: dict[str, Bestuur] = {}
    for number, name in BESTUREN:
        slug = number
        bestuur, new = Bestuur.objects.get_or_create(
            bevoegd_gezag_nummer=number,
            defaults={"name": name, "contact_email": f"bestuursbureau.{slug}@demo.example"},
        )
        besturen[number] = bestuur
        created["besturen"] += new
    for i, spec in enumerate(demo_schools()):
        first_wijk = spec.wijk
        moved = i == 0
        if moved:
            first_wijk = MOVED_SCHOOL_WIJK[0]
        school, new = School.objects.get_or_create(
            vestigingscode=spec.code,
            defaults={
                "name": spec.name,
                "sector": spec.sector,
                "subtype": spec.subtype,
                "wijk": wijken[first_wijk] if first_wijk else None,
                "bestuur": besturen[spec.bestuur],
                "active_from": DEMO_START,
                "pupil_count": 120 + (i * 37) % 380,
                "postcode": postcode(i),
                "plaats": "Almere",
                "contact_email": f"directie.{spec.code.lower()}@demo.example",
            },
        )
        created["scholen"] += new
        if new and moved:
            school.wijk = wijken[MOVED_SCHOOL_WIJK[1]]
            school._change_reason = "verhuisd naar een nieuw gebouw (demo)"  # type: ignore[attr-defined]
            school.save()
    return created


def load(log: Log) -> list[DemoLogin]:
    created = ensure_register()
    total = School.objects.filter(vestigingscode__in=[s.code for s in demo_schools()]).count()
    log(f"Register: {total} demoscholen aanwezig ({created['scholen']} nieuw).")
    return []
