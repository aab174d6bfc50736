import pytest

from selfscan.accounts import demo as accounts_demo
from selfscan.accounts.models import Role, User
from selfscan.accounts.permissions import visible_schools
from selfscan.core.demo import DEMO_PASSWORD
from selfscan.organisations import demo
from selfscan.organisations.models import Bestuur, School, Stadsdeel, Wijk

pytestmark = pytest.mark.django_db


def _load():
    """What `manage.py load_demo` runs for this area, in DEMO_MODULES order."""
    logins = accounts_demo.load(lambda line: None)
    demo.load(lambda line: None)
    return logins


def test_demo_register_has_the_agreed_shape_and_is_idempotent():
    _load()
    shape = (
        Stadsdeel.objects.count(),
        Wijk.objects.count(),
        Bestuur.objects.count(),
        School.objects.filter(sector="PO").count(),
        School.objects.filter(sector="VO").count(),
        School.objects.filter(sector="SV").count(),
    )
    assert shape == (4, 10, 8, 72, 16, 6)
    assert not School.objects.exclude(sector="PO").filter(wijk__isnull=False).exists()
    assert not School.objects.filter(sector="PO", wijk__isnull=True).exists()
    per_wijk = [w.schools.count() for w in Wijk.objects.all()]
    assert min(per_wijk) >= 6
    assert sorted(set(School.objects.filter(sector="SV").values_list("subtype", flat=True))) == [
        "SBO",
        "SO",
        "VSO",
    ]
    for school in School.objects.all():
        school.full_clean()  # valid vestigingscode, bevoegd gezag nummer, e-mail
    history = School.history.count()
    users = list(User.objects.order_by("email").values_list("email", "role", "password"))
    logins = _load()
    assert School.objects.count() == 94 and School.history.count() == history
    assert list(User.objects.order_by("email").values_list("email", "role", "password")) == users
    assert "bestuur@demo.passendonderwijsalmere.nl" in {login.email for login in logins}


def test_demo_logins_cover_every_role_and_scope():
    _load()
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    ib = User.objects.get(email="ib@demo.passendonderwijsalmere.nl")
    assert ib.schools.count() == 2 and ib.check_password(DEMO_PASSWORD)
    board = User.objects.get(email="bestuur@demo.passendonderwijsalmere.nl")
    assert (
        visible_schools(board).count()
        == School.objects.filter(bestuur__bevoegd_gezag_nummer=demo.BESTUREN[0][0]).count()
        > 5
    )
    moved = School.objects.get(vestigingscode=demo.code(0))
    assert [h.wijk.name for h in moved.history.order_by("history_date", "pk")] == [
        "Stad 1",
        "Stad 2",
    ]
