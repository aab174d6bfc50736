"""Concept (unpublished) norm versions: only partnership staff and administrators see them."""

import pytest
from django.urls import reverse

from selfscan.accounts import permissions as perms
from selfscan.norms.models import NormVersion
from selfscan.norms.services import load_norm_files
from tests.norms.samples import V1, V2, as_concept, source

pytestmark = pytest.mark.django_db

NON_STAFF = ["school", "other_school", "board", "other_board", "adviser"]


@pytest.fixture
def concept_v2(testnorm_v1):
    """Version 1 published, version 2 still a concept."""
    report = load_norm_files([source(as_concept(V2), "v2.yaml")])
    assert report.errors == []
    version = report.versions[0]
    assert version.status == NormVersion.Status.DRAFT
    return version


@pytest.fixture
def concept_first(db):
    """Version 1 a concept, version 2 (built on it) published."""
    report = load_norm_files([source(as_concept(V1), "v1.yaml"), source(V2, "v2.yaml")])
    assert report.errors == []
    return report.versions


def _version_url(label: str, name: str = "norms:version") -> str:
    return reverse(name, kwargs={"key": "testnorm", "label": label})


@pytest.mark.parametrize("role", NON_STAFF)
def test_concept_versions_are_hidden_from_everyone_but_staff(client, world, concept_v2, role):
    client.force_login(world.user(role))
    index = client.get(reverse("norms:index")).content.decode()
    assert "Testnorm versie 1" in index
    assert "Testnorm versie 2" not in index
    assert client.get(_version_url("2")).status_code == 404
    assert client.get(_version_url("2", "norms:changes")).status_code == 404


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_and_admin_see_concept_versions(client, world, concept_v2, role):
    client.force_login(world.user(role))
    index = client.get(reverse("norms:index")).content.decode()
    assert "Testnorm versie 2" in index
    assert client.get(_version_url("2")).status_code == 200
    assert client.get(_version_url("2", "norms:changes")).status_code == 200


def test_published_version_does_not_lead_to_its_concept_predecessor(client, world, concept_first):
    client.force_login(world.user("school"))
    page = client.get(_version_url("2")).content.decode()
    assert page.count("Testnorm versie 2") >= 1
    assert _version_url("1") not in page
    assert client.get(_version_url("1")).status_code == 404
    # Nothing published to compare with: the changes page does not exist for this user.
    assert client.get(_version_url("2", "norms:changes")).status_code == 404
    index = client.get(reverse("norms:index")).content.decode()
    assert _version_url("2", "norms:changes") not in index
    assert "vorige versie nog niet gepubliceerd" in index


def test_staff_compare_a_published_version_with_its_concept_predecessor(
    client, world, concept_first
):
    client.force_login(world.user("staff"))
    assert _version_url("1") in client.get(_version_url("2")).content.decode()
    assert client.get(_version_url("2", "norms:changes")).status_code == 200


def test_visible_norm_versions_is_the_rule(world, concept_v2):
    labels = {
        role: set(perms.visible_norm_versions(world.user(role)).values_list("label", flat=True))
        for role in [*NON_STAFF, "staff", "admin"]
    }
    assert labels == {
        **{role: {"1"} for role in NON_STAFF},
        "staff": {"1", "2"},
        "admin": {"1", "2"},
    }
    assert not perms.can_view_norm_version(world.user("school"), concept_v2)
    assert perms.can_view_norm_version(world.user("staff"), concept_v2)


def test_retired_versions_stay_visible(world, testnorm_v1):
    NormVersion.objects.filter(pk=testnorm_v1.pk).update(status=NormVersion.Status.RETIRED)
    assert perms.visible_norm_versions(world.user("school")).filter(pk=testnorm_v1.pk).exists()
