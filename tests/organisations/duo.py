"""Build DUO open-data style register files for tests (`;`, Windows-1252 by default)."""

from dataclasses import dataclass, replace

DUO_HEADERS = [
    "PROVINCIE",
    "BEVOEGD GEZAG NUMMER",
    "INSTELLINGSCODE",
    "VESTIGINGSCODE",
    "VESTIGINGSNAAM",
    "STRAATNAAM",
    "POSTCODE",
    "PLAATSNAAM",
    "GEMEENTENAAM",
    "SECTOR",
    "WIJK",
]


@dataclass(frozen=True)
class Row:
    bestuur: str
    code: str
    name: str
    sector: str = "PO"
    wijk: str = "Stad 1"
    postcode: str = "1315 AA"
    plaats: str = "ALMERE"
    gemeente: str = "ALMERE"
    street: str = "Coördinatorstraat"  # a non-ASCII character to exercise the encoding

    def cells(self) -> list[str]:
        return [
            "FLEVOLAND",
            self.bestuur,
            self.code[:4],
            self.code,
            self.name,
            self.street,
            self.postcode,
            self.plaats,
            self.gemeente,
            self.sector,
            self.wijk,
        ]


def duo_file(rows: list[Row], encoding: str = "cp1252", delimiter: str = ";") -> bytes:
    lines = [delimiter.join(DUO_HEADERS)]
    lines += [delimiter.join(row.cells()) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def school_code(n: int) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    return f"{70 + n // 24:02d}{letters[n % 24]}Q00"


def hundred_schools(besturen: list[str], wijken: list[str]) -> list[Row]:
    """100 valid rows: 80 PO schools over the wijken, 14 VO and 6 SV schools."""
    rows = []
    for n in range(100):
        sector = "PO" if n < 80 else ("VO" if n < 94 else "SV")
        rows.append(
            Row(
                bestuur=besturen[n % len(besturen)],
                code=school_code(n),
                name=f"Testschool Ééntje {n:03d}",
                sector=sector,
                wijk=wijken[n % len(wijken)] if sector == "PO" else "",
            )
        )
    return rows


__all__ = ["DUO_HEADERS", "Row", "duo_file", "hundred_schools", "replace", "school_code"]
