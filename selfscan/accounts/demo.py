"""Demo accounts for every role, linked to the fictional register of
`selfscan.organisations.demo` (which this module makes sure exists first)."""

from selfscan.core.demo import DEMO_PASSWORD, DemoLogin, Log
from selfscan.organisations import demo as register_demo
from selfscan.organisations.models import Bestuur, School, Wijk

from .models import Role, User

DOMAIN = "demo.passendonderwijsalmere.nl"
ADMIN_EMAIL = f"beheer@{DOMAIN}"
STAFF_EMAIL = f"swv@{DOMAIN}"
SCHOOL_EMAIL = f"school@{DOMAIN}"
IB_EMAIL = f"ib@{DOMAIN}"
VO_EMAIL = f"vo@{DOMAIN}"
SV_EMAIL = f"sv@{DOMAIN}"
BOARD_EMAIL = f"bestuur@{DOMAIN}"
ADVISER_EMAIL = f"adviseur@{DOMAIN}"


def ensure_user(email: str, role: str, first_name: str, last_name: str, **flags: bool) -> User:
    """Create the demo user once; later runs leave it (and its password) as it is."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "username": email,
            "role": role,
            "first_name": first_name,
            "last_name": last_name,
            **flags,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def load(log: Log) -> list[DemoLogin]:
    register_demo.ensure_register()
    schools = {s.code: s for s in register_demo.demo_schools()}
    po = [s for s in schools.values() if s.sector == "PO"]
    vo = [s for s in schools.values() if s.sector == "VO"]
    sv = [s for s in schools.values() if s.sector == "SV"]
    by_code = School.objects.in_bulk(
        [s.code for s in schools.values()], field_name="vestigingscode"
    )

    ensure_user(ADMIN_EMAIL, Role.ADMIN, "Demo", "Beheerder", is_staff=True, is_superuser=True)
    ensure_user(STAFF_EMAIL, Role.STAFF, "Sanne", "van het Samenwerkingsverband")
    school_user = ensure_user(SCHOOL_EMAIL, Role.SCHOOL, "Sam", "Schoolleider")
    school_user.schools.add(by_code[po[0].code])
    ib = ensure_user(IB_EMAIL, Role.SCHOOL, "Iris", "Intern Begeleider")
    ib.schools.add(by_code[po[1].code], by_code[po[2].code])
    vo_user = ensure_user(VO_EMAIL, Role.SCHOOL, "Victor", "Zorgcoördinator")
    vo_user.schools.add(by_code[vo[0].code])
    sv_user = ensure_user(SV_EMAIL, Role.SCHOOL, "Selma", "Directeur")
    sv_user.schools.add(by_code[sv[0].code])
    board = ensure_user(BOARD_EMAIL, Role.BOARD, "Bram", "Bestuursbureau")
    first_bestuur = Bestuur.objects.get(bevoegd_gezag_nummer=register_demo.BESTUREN[0][0])
    board.besturen.add(first_bestuur)
    adviser = ensure_user(ADVISER_EMAIL, Role.ADVISER, "Anouk", "Adviseur")
    adviser.wijken.add(*Wijk.objects.filter(name__in=["Stad 1", "Stad 2"]))
    log("Demo-accounts aanwezig.")
    return [
        DemoLogin("Beheerder", ADMIN_EMAIL, "alles, ook het Django-beheer"),
        DemoLogin(
            "Samenwerkingsverband", STAFF_EMAIL, "register, gebruikers, auditlog, alles zien"
        ),
        DemoLogin("Schoolteam PO", SCHOOL_EMAIL, po[0].name),
        DemoLogin("IB (twee scholen)", IB_EMAIL, f"{po[1].name} en {po[2].name}"),
        DemoLogin("Schoolteam VO", VO_EMAIL, vo[0].name),
        DemoLogin("Schoolteam SV", SV_EMAIL, sv[0].name),
        DemoLogin("Bestuur", BOARD_EMAIL, first_bestuur.name),
        DemoLogin("Adviseur", ADVISER_EMAIL, "wijken Stad 1 en Stad 2"),
    ]
