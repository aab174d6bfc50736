"""Demo of team perspectives: the open round uses them, and Kindcentrum De Blauwe Vlinder's
team (the school of the demo IB and the second team member) has five members with different
functions who answered on their own, with visible disagreement: the director rates the school
higher than the teachers do. Four have finished, one is still busy. Idempotent."""

import random

from django.utils import timezone

from selfscan.accounts.demo import DOMAIN, IB_EMAIL, ensure_user
from selfscan.accounts.models import Role, User
from selfscan.core.demo import DemoLogin, Log
from selfscan.norms.models import ScaleLevel
from selfscan.rounds.demo import OPEN_NAME, TEAM_EMAIL
from selfscan.rounds.models import Round
from selfscan.scans.models import Scan
from selfscan.scans.progress import applicable_statements

from .models import IndividualAnswer, TeamPerspective

# A member who has not finished yet (the crawler logs in as them to reach "Ik ben klaar").
UNFINISHED_EMAIL = f"leerkracht.groep7@{DOMAIN}"

# (e-mail, first name, last name, function, lowest and highest level index, finished, comment)
MEMBERS = [
    (f"directie.vlinder@{DOMAIN}", "Dirk", "Directeur", "directie", 2, 3, True,
     "Dit hebben we als school goed geregeld; het staat in het ondersteuningsprofiel."),
    (IB_EMAIL, "", "", "ib", 1, 3, True,
     "Op papier klopt het; in de groepen zie ik het nog niet overal terug."),
    (f"leerkracht.groep4@{DOMAIN}", "Lotte", "Leerkracht", "leerkracht", 0, 2, True,
     "In mijn groep lukt dit nog niet; daar is meer tijd en begeleiding voor nodig."),
    (UNFINISHED_EMAIL, "Lars", "Leerkracht", "leerkracht", 1, 2, False,
     "Wisselend: het hangt af van wie er die week is."),
    (f"onderwijsassistent.vlinder@{DOMAIN}", "Olga", "Onderwijsassistent", "overig", 1, 3, True,
     "Ik zie dit vooral bij de kleine groepjes buiten de klas."),
]  # fmt: skip


def _scan(round_: Round) -> Scan | None:
    team = User.objects.filter(email=TEAM_EMAIL).first()
    school = team.schools.order_by("vestigingscode").first() if team else None
    if school is None:
        return None
    return Scan.objects.filter(round=round_, school=school).select_related("school").first()


def load(log: Log) -> list[DemoLogin]:
    round_ = Round.objects.filter(name=OPEN_NAME).first()
    if round_ is None:
        log("Teamperspectieven: geen open demoronde; overgeslagen.")
        return []
    if not round_.team_perspectives:
        Round.objects.filter(pk=round_.pk).update(team_perspectives=True)
    scan = _scan(round_)
    if scan is None:
        log("Teamperspectieven: geen demoschool; overgeslagen.")
        return []
    logins = []
    levels = list(ScaleLevel.objects.filter(version_id=scan.norm_version_id).order_by("order"))
    statements = applicable_statements(scan.norm_version_id, scan.sector)
    fresh = not TeamPerspective.objects.filter(scan=scan).exists()
    for i, (email, first, last, function, low, high, finished, comment) in enumerate(MEMBERS):
        user = ensure_user(email, Role.SCHOOL, first, last) if first else None
        user = user or User.objects.get(email=email)
        user.schools.add(scan.school)
        if first:
            logins.append(DemoLogin("Teamlid", email, f"{function}, {scan.school.name}"))
        if not fresh:
            continue
        perspective = TeamPerspective.objects.create(
            scan=scan,
            user=user,
            function=function,
            finished_at=timezone.now() if finished else None,
        )
        rng = random.Random(f"perspectief-{i}")
        chosen = statements if finished else statements[: len(statements) // 2]
        IndividualAnswer.objects.bulk_create(
            IndividualAnswer(
                perspective=perspective,
                statement=st,
                value=levels[rng.randint(low, min(high, len(levels) - 1))].code,
                comment=comment if n % 3 == 0 else "",
                version=1,
            )
            for n, st in enumerate(chosen)
        )
        TeamPerspective.objects.filter(pk=perspective.pk).update(
            current_step=chosen[-1].theme.code if chosen else ""
        )
    log(f"Teamperspectieven: {OPEN_NAME}, {scan.school.name} met {len(MEMBERS)} teamleden.")
    return logins
