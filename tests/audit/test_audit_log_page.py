import pytest
from django.urls import reverse

from selfscan.audit.services import record

pytestmark = pytest.mark.django_db


def test_audit_log_lists_and_filters_by_actor_action_and_object(client, world):
    staff, admin = world.user("staff"), world.user("admin")
    record(
        actor=staff,
        action="school.gewijzigd",
        obj=world.school_a1,
        changes={"wijk": ["Stad 1", "Stad 2"]},
    )
    record(
        actor=admin,
        action="gebruiker.gewijzigd",
        obj=world.user("board"),
        changes={"rol": ["Bestuur", "Adviseur"]},
    )
    client.force_login(staff)
    url = reverse("audit:log")
    html = client.get(url).content.decode()
    assert "wijk: Stad 1 → Stad 2" in html and "rol: Bestuur → Adviseur" in html
    html = client.get(url, {"actor": "admin@"}).content.decode()
    assert "rol: Bestuur → Adviseur" in html and "Stad 1 → Stad 2" not in html
    html = client.get(url, {"action": "school.gewijzigd"}).content.decode()
    assert "Stad 1 → Stad 2" in html and "Bestuur → Adviseur" not in html
    html = client.get(url, {"obj": "De Eerste"}).content.decode()
    assert "Stad 1 → Stad 2" in html and "Bestuur → Adviseur" not in html


def test_audit_log_pages_in_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for _ in range(120):
        record(actor=world.user("staff"), action="school.gewijzigd", obj=world.school_a1)
    client.force_login(world.user("staff"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("audit:log"), {"pagina": 2})
    assert "Pagina 2 van 3" in response.content.decode()
