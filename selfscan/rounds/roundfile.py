"""The small YAML file from which `manage.py create_round --file` creates a round.

Example::

    naam: Zelfscan 2026-2027
    opent_op: 2027-01-11
    sluit_op: 2027-03-31
    drempel: 85                    # optional, default 85
    herinnering_dagen_vooraf: 7    # optional, default 7
    versies:                       # norm key:label per sector; a sector left out does not take part
      PO: anb:2025
      VO: anb:2025
    uitnodigen:                    # optional; left out: every active school of those sectors
      sectoren: [PO]
      besturen: ["41001"]          # bevoegd gezag nummer or exact name
      wijken: [Stad 1]
      scholen: [12AB00]            # vestigingscodes

Read with the project's safe loader (`selfscan.core.yamldata.parse`); every error in Dutch with
its line. The values then go through the same form and service as the web page.
"""

from __future__ import annotations

import datetime

from pydantic import BaseModel, ConfigDict, Field

from selfscan.core import yamldata


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Invitations(_Strict):
    sectoren: list[str] = Field(default_factory=list)
    besturen: list[str] = Field(default_factory=list)
    wijken: list[str] = Field(default_factory=list)
    scholen: list[str] = Field(default_factory=list)


class Versions(_Strict):
    PO: str | None = None
    VO: str | None = None
    SV: str | None = None


class RoundFile(_Strict):
    naam: str = Field(min_length=1, max_length=200)
    opent_op: datetime.date
    sluit_op: datetime.date
    drempel: int = 85
    herinnering_dagen_vooraf: int = 7
    versies: Versions
    uitnodigen: Invitations = Field(default_factory=Invitations)


def read_round_file(content: bytes, filename: str) -> yamldata.ParsedFile[RoundFile]:
    return yamldata.parse(content, RoundFile, filename, max_bytes=100_000)
