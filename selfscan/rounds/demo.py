"""Demo rounds: the 0-meting (2024-2025, closed and published, on ANB 2024) with fictional
answers for nearly all PO and VO schools, and an open round 2025-2026 on ANB 2025 with a mix of
not started, in progress and submitted schools.

Runs after the norms and register demos. Without the ANB versions or schools it logs a line and
does nothing. Idempotent: an existing round (by name) is left as it is. Answers are drawn from
seeded random generators, so every run on the same register gives the same data. The answer
distribution is tuned so that the city indicators come out near the real 0-meting:
schools meeting the norm PO ≈82%, VO ≈62%; answers voldoende or higher PO ≈90%, VO ≈84%.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from selfscan.accounts.demo import ensure_user
from selfscan.accounts.models import Role
from selfscan.core.demo import DemoLogin, Log
from selfscan.norms.models import NVT_CODE, NormVersion, Statement
from selfscan.scans.models import Answer, AnswerChange, Scan, ScanEvent, ThemeReflection
from selfscan.scans.progress import applicable_statements

from .models import Round
from .services import active_schools, close_round, open_round, publish_round

ZERO_NAME = "Zelfscan 2024-2025 (0-meting)"
OPEN_NAME = "Zelfscan 2025-2026"
TEAM_EMAIL = "team.zelfscan@demo.passendonderwijsalmere.nl"


@dataclass(frozen=True)
class Profile:
    """How a sector's schools answer: the share that meets the norm, and the range of the share
    of sufficient answers for schools that meet it and for those that do not."""

    meets: float
    meets_range: tuple[float, float]
    misses_range: tuple[float, float]


PROFILES_2024 = {
    "PO": Profile(meets=0.822, meets_range=(0.87, 0.995), misses_range=(0.70, 0.84)),
    "VO": Profile(meets=0.615, meets_range=(0.87, 0.98), misses_range=(0.64, 0.82)),
    "SV": Profile(meets=0.6, meets_range=(0.86, 0.96), misses_range=(0.62, 0.80)),
}
PROFILES_2025 = {
    "PO": Profile(meets=0.86, meets_range=(0.87, 1.0), misses_range=(0.72, 0.84)),
    "VO": Profile(meets=0.7, meets_range=(0.86, 0.97), misses_range=(0.66, 0.84)),
    "SV": Profile(meets=0.65, meets_range=(0.86, 0.96), misses_range=(0.62, 0.82)),
}
NVT_EXPLANATION = "Op dit moment hebben wij geen leerlingen voor wie dit speelt."


def _version(label: str) -> NormVersion | None:
    return NormVersion.objects.filter(norm__key="anb", label=label).first()


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def draw_answers(
    statements: list[Statement], *, meets: bool, profile: Profile, rng: random.Random
) -> dict[int, tuple[str, str]]:
    """Statement id -> (value, nvt explanation) for one school.

    The number of sufficient answers among the counted, answered statements is fixed first, so
    that "meets the norm" (100 * sufficient >= 85 * answered) holds exactly as chosen."""
    answers: dict[int, tuple[str, str]] = {}
    counted = []
    for st in statements:
        if st.nvt_allowed and rng.random() < 0.08:
            answers[st.pk] = (NVT_CODE, NVT_EXPLANATION)
        elif st.counts_for_norm:
            counted.append(st)
        else:  # streefniveau: answered, never counted
            answers[st.pk] = (rng.choice("1223"), "")
    n = len(counted)
    low, high = profile.meets_range if meets else profile.misses_range
    share = rng.uniform(low, high)
    k = round(share * n)
    # meets: at least ceil(0.85 n), so exactly 85% meets; misses: strictly below 85%
    k = max(k, -(-85 * n // 100)) if meets else min(k, (85 * n - 1) // 100)
    k = max(0, min(n, k))
    sufficient = set(rng.sample(range(n), k))
    for i, st in enumerate(counted):
        if i in sufficient:
            answers[st.pk] = ("4" if rng.random() < 0.35 else "3", "")
        else:
            answers[st.pk] = ("2" if rng.random() < 0.7 else "1", "")
    return answers


def _store(scan: Scan, answers: dict[int, tuple[str, str]], *, history: bool) -> None:
    rows = Answer.objects.bulk_create(
        Answer(scan=scan, statement_id=sid, value=value, nvt_explanation=expl, version=1)
        for sid, (value, expl) in answers.items()
    )
    if history:
        AnswerChange.objects.bulk_create(
            AnswerChange(answer=row, new_value=row.value, new_nvt_explanation=row.nvt_explanation)
            for row in rows
        )


def _submit(scan: Scan, at: datetime) -> None:
    Scan.objects.filter(pk=scan.pk).update(
        status=Scan.Status.SUBMITTED,
        started_at=at - timedelta(days=9),
        last_activity_at=at,
        submitted_at=at,
    )
    ScanEvent.objects.create(scan=scan, kind=ScanEvent.Kind.SUBMITTED)


def _meeting_flags(scans: list[Scan], profiles: dict[str, Profile], seed: str) -> dict[int, bool]:
    flags: dict[int, bool] = {}
    for sector, profile in profiles.items():
        group = sorted(
            (s for s in scans if s.sector == sector), key=lambda s: s.school.vestigingscode
        )
        random.Random(f"{seed}-{sector}").shuffle(group)
        n_meets = round(profile.meets * len(group))
        flags.update({s.pk: i < n_meets for i, s in enumerate(group)})
    return flags


def _statements_cache(version: NormVersion) -> dict[str, list[Statement]]:
    return {sector: applicable_statements(version.pk, sector) for sector in ("PO", "VO", "SV")}


def load_zero_measurement(log: Log, version: NormVersion) -> Round | None:
    if Round.objects.filter(name=ZERO_NAME).exists():
        log(f"{ZERO_NAME}: al aanwezig.")
        return None
    opens, closes = date(2024, 10, 1), date(2024, 12, 20)
    schools = list(active_schools(opens).filter(sector__in=["PO", "VO"]).order_by("vestigingscode"))
    if not schools:
        log(f"{ZERO_NAME}: geen PO- of VO-scholen in het register; overgeslagen.")
        return None
    round_ = Round.objects.create(
        name=ZERO_NAME, version_po=version, version_vo=version, opens_on=opens, closes_on=closes
    )
    round_.invited_schools.set(schools)
    open_round(round_=round_, by=None)
    Round.objects.filter(pk=round_.pk).update(opened_at=_aware(opens, 9))
    scans = list(Scan.objects.filter(round=round_).select_related("school"))
    # nearly all: every 30th school (by code) did not submit
    missing = {
        s.pk
        for i, s in enumerate(sorted(scans, key=lambda s: s.school.vestigingscode))
        if i % 30 == 29
    }
    submitted = [s for s in scans if s.pk not in missing]
    flags = _meeting_flags(submitted, PROFILES_2024, "0-meting")
    statements = _statements_cache(version)
    for scan in submitted:
        rng = random.Random(f"0-meting-{scan.school.vestigingscode}")
        answers = draw_answers(
            statements[scan.sector],
            meets=flags[scan.pk],
            profile=PROFILES_2024[scan.sector],
            rng=rng,
        )
        _store(scan, answers, history=False)
        _submit(scan, _aware(closes - timedelta(days=rng.randint(0, 20)), rng.randint(9, 17)))
    close_round(round_=round_, by=None)
    publish_round(round_=round_, by=None)
    log(f"{ZERO_NAME}: {len(submitted)} van {len(scans)} scholen ingediend, gepubliceerd.")
    return round_


def load_open_round(log: Log, version: NormVersion, previous: Round | None) -> Round | None:
    if Round.objects.filter(name=OPEN_NAME).exists():
        log(f"{OPEN_NAME}: al aanwezig.")
        return Round.objects.get(name=OPEN_NAME)
    today = timezone.localdate()
    opens = date(2025, 10, 1)
    closes = max(date(2026, 6, 30), today + timedelta(days=60))
    schools = list(
        active_schools(today).filter(sector__in=["PO", "VO", "SV"]).order_by("vestigingscode")
    )
    if not schools:
        log(f"{OPEN_NAME}: geen scholen in het register; overgeslagen.")
        return None
    round_ = Round.objects.create(
        name=OPEN_NAME,
        version_po=version,
        version_vo=version,
        version_sv=version,
        opens_on=opens,
        closes_on=closes,
        previous=previous or Round.objects.filter(name=ZERO_NAME).first(),
    )
    round_.invited_schools.set(schools)
    open_round(round_=round_, by=None)
    scans = sorted(
        Scan.objects.filter(round=round_).select_related("school"),
        key=lambda s: s.school.vestigingscode,
    )
    flags = _meeting_flags(scans, PROFILES_2025, "2025")
    statements = _statements_cache(version)
    counts = {"niet gestart": 0, "bezig": 0, "ingediend": 0}
    for i, scan in enumerate(scans):
        kind = i % 3  # 0 not started, 1 in progress, 2 submitted
        if kind == 0:
            counts["niet gestart"] += 1
            continue
        rng = random.Random(f"2025-{scan.school.vestigingscode}")
        answers = draw_answers(
            statements[scan.sector],
            meets=flags[scan.pk],
            profile=PROFILES_2025[scan.sector],
            rng=rng,
        )
        first_theme = statements[scan.sector][0].theme if statements[scan.sector] else None
        if kind == 1:
            order = [st.pk for st in statements[scan.sector]]
            keep = order[: max(1, int(len(order) * rng.uniform(0.2, 0.8)))]
            answers = {sid: answers[sid] for sid in keep}
            _store(scan, answers, history=True)
            last = statements[scan.sector][len(keep) - 1].theme
            at = timezone.now() - timedelta(days=rng.randint(0, 14), hours=rng.randint(0, 8))
            Scan.objects.filter(pk=scan.pk).update(
                status=Scan.Status.IN_PROGRESS,
                started_at=at - timedelta(days=3),
                last_activity_at=at,
                current_step=last.code,
            )
            counts["bezig"] += 1
        else:
            _store(scan, answers, history=True)
            if first_theme is not None:
                ThemeReflection.objects.create(
                    scan=scan,
                    theme=first_theme,
                    version=1,
                    reflection=(
                        "Het schoolondersteuningsprofiel is actueel; "
                        "het team kent het nog niet overal."
                    ),
                )
            _submit(scan, timezone.now() - timedelta(days=rng.randint(1, 30)))
            counts["ingediend"] += 1
    log(
        f"{OPEN_NAME}: open tot en met {closes:%d-%m-%Y}; "
        + ", ".join(f"{v} {k}" for k, v in counts.items())
        + "."
    )
    return round_


def _team_login(round_: Round | None) -> list[DemoLogin]:
    if round_ is None:
        return []
    scan = (
        Scan.objects.filter(round=round_, status=Scan.Status.IN_PROGRESS, sector="PO")
        .select_related("school")
        .order_by("school__vestigingscode")
        .first()
    )
    if scan is None:
        return []
    user = ensure_user(TEAM_EMAIL, Role.SCHOOL, "Demo", "Intern begeleider")
    if not user.schools.exists():
        user.schools.add(scan.school)
    school = user.schools.first()
    return [
        DemoLogin(
            "Schoolteam", TEAM_EMAIL, f"vult de zelfscan in voor {school.name if school else ''}"
        )
    ]


def load(log: Log) -> list[DemoLogin]:
    v2024, v2025 = _version("2024"), _version("2025")
    previous = None
    if v2024 is None:
        log(f"{ZERO_NAME}: normversie ANB 2024 ontbreekt; overgeslagen.")
    else:
        previous = load_zero_measurement(log, v2024)
    if v2025 is None:
        log(f"{OPEN_NAME}: normversie ANB 2025 ontbreekt; overgeslagen.")
        return []
    return _team_login(load_open_round(log, v2025, previous))


def indicators(round_: Round) -> dict[str, dict[str, Any]]:
    """The two city indicators per sector for a round (used by the demo's test and log)."""
    result: dict[str, dict[str, Any]] = {}
    counted = set(Statement.objects.filter(counts_for_norm=True).values_list("pk", flat=True))
    per_scan: dict[int, list[int]] = {}
    sectors: dict[int, str] = {}
    for scan_id, sector, sid, value in Answer.objects.filter(
        scan__round=round_, scan__status=Scan.Status.SUBMITTED
    ).values_list("scan_id", "scan__sector", "statement_id", "value"):
        if sid not in counted or value in ("", NVT_CODE):
            continue
        pair = per_scan.setdefault(scan_id, [0, 0])
        pair[1] += 1
        pair[0] += value in ("3", "4")
        sectors[scan_id] = sector
    for sector in sorted(set(sectors.values())):
        ids = [i for i, s in sectors.items() if s == sector]
        meets = sum(100 * per_scan[i][0] >= round_.threshold_percent * per_scan[i][1] for i in ids)
        good = sum(per_scan[i][0] for i in ids)
        total = sum(per_scan[i][1] for i in ids)
        result[sector] = {
            "schools": len(ids),
            "meets_pct": 100 * meets / len(ids),
            "sufficient_pct": 100 * good / total,
        }
    return result
