"""The norm browser, the what-changed page and the upload page."""

import html as htmllib
import re

import pytest
from django.urls import reverse

from selfscan.norms.models import NormUpload, NormVersion
from selfscan.norms.services import load_norm_files
from tests.norms.samples import V1, V2, source

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    html = response.content.decode()
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def _section(response, anchor: str) -> str:
    html = response.content.decode()
    start = html.index(f'id="{anchor}"')
    end = html.find("<h2", start + 1)
    part = html[start : end if end > 0 else None]
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part)))


@pytest.fixture
def school_client(client, world):
    client.force_login(world.user("school"))
    return client


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.user("staff"))
    return client


def test_versions_list_shows_both_anb_versions(school_client, anb, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = school_client.get(reverse("norms:index"))
    text = _text(response)
    assert "ANB 2024 (0-meting)" in text and "ANB 2025" in text
    assert "Van 2024 naar 2025" in text
    assert reverse("norms:upload") not in response.content.decode()


def test_staff_see_the_upload_link(staff_client, anb):
    assert reverse("norms:upload") in staff_client.get(reverse("norms:index")).content.decode()


def test_version_page_shows_themes_statements_and_guidance(
    school_client, anb, django_assert_max_num_queries
):
    url = reverse("norms:version", kwargs={"key": "anb", "label": "2025"})
    with django_assert_max_num_queries(12):
        response = school_client.get(url)
    text = _text(response)
    assert "T08 Taalontwikkeling en meertaligheid" in text
    assert "T14.05" in text
    assert "Themakaart T06: wat kunt u doen bij een lage score?" in text
    assert "Neem bij de intake een paar vragen op" in text  # guidance of T08
    assert "Aanwezig, schoolbreed afgesproken" in text  # guidance of scale level 3


def test_version_page_filters_by_sector(school_client, anb):
    url = reverse("norms:version", kwargs={"key": "anb", "label": "2025"})
    po = school_client.get(url, {"sector": "PO"}).content.decode()
    sv = school_client.get(url, {"sector": "SV"}).content.decode()
    assert "T14.05" not in po and "T14.04" in po
    assert "T14.05" in sv
    assert po.count('<th scope="row">T') == 68
    assert sv.count('<th scope="row">T') == 69


def test_unknown_sector_in_the_filter_shows_everything(school_client, anb):
    url = reverse("norms:version", kwargs={"key": "anb", "label": "2025"})
    response = school_client.get(url, {"sector": "XX"})
    assert response.status_code == 200
    assert response.content.decode().count('<th scope="row">T') == 69


def test_version_2024_marks_streefniveau(school_client, anb):
    url = reverse("norms:version", kwargs={"key": "anb", "label": "2024"})
    text = _text(school_client.get(url))
    assert text.count("streefniveau: telt niet mee") == 15


def test_changes_page_2024_to_2025(school_client, anb, django_assert_max_num_queries):
    url = reverse("norms:changes", kwargs={"key": "anb", "label": "2025"})
    with django_assert_max_num_queries(12):
        response = school_client.get(url)
    assert response.status_code == 200
    themes = _section(response, "themas")
    # The split of "Ouders en ketenpartners" into T13 and T14.
    assert (
        "Gesplitst thema: G03 Ouders en ketenpartners → T13 Ouders en leerling als partner en "
        "T14 Ketenpartners, wijk en doorgaande lijn" in themes
    )
    # The new theme meertaligheid.
    assert "T08 Taalontwikkeling en meertaligheid nieuw thema" in themes

    split = _section(response, "gesplitst")
    assert "V1-G03.1 Ouders en ketenpartners worden tijdig betrokken" in split
    assert "T13.01" in split and "T14.01" in split

    promoted = _section(response, "gepromoveerd")
    for old, new in [
        ("V1-O01.5", "T03.05"),
        ("V1-O02.7", "T04.06"),
        ("V1-O06.4", "T09.02"),
        ("V1-O06.7", "T09.04"),
        ("V1-G01.4", "T10.05"),
    ]:
        assert re.search(rf"{re.escape(old)} .*? → {re.escape(new)} ", promoted), (old, new)

    dropped = _section(response, "vervallen")
    assert "V1-O06.5 De school heeft een eigen plusklas." in dropped
    assert dropped.count("streefniveau") == 10

    added = _section(response, "nieuw")
    assert all(code in added for code in ["T02.05", "T08.01", "T10.03", "T11.03", "T14.05"])

    merged = _section(response, "samengevoegd")
    assert "V1-O02.1" in merged and "V1-O02.2" in merged and "T04.01" in merged


def test_changes_page_shows_a_word_level_diff(school_client, anb):
    url = reverse("norms:changes", kwargs={"key": "anb", "label": "2025"})
    html = school_client.get(url).content.decode()
    row = html[html.index("V1-G03.4 → T13.03") :]
    row = row[: row.index("</tr>")]
    assert re.search(r"<del>.*?mogen hun mening geven.*?</del>", row)
    assert re.search(r"<ins>.*?hoorrecht.*?</ins>", row)
    assert "[verwijderd:]" in row and "[toegevoegd:]" in row  # not colour alone


def test_changes_page_counts_per_sector_before_and_after(school_client, anb):
    url = reverse("norms:changes", kwargs={"key": "anb", "label": "2025"})
    counts = _section(school_client.get(url), "aantallen")
    assert "PO 71 56 68 68" in counts
    assert "VO 71 56 68 68" in counts
    assert "SV 0 0 69 69" in counts


def test_upload_page_shows_the_same_errors_as_the_loader(staff_client, world, testnorm_v1):
    bad = V2.replace("vorige: [B.1]", "vorige: [B.9]").replace("[PO, VO, SV]", "[PO, BO]", 1)
    expected = [str(e) for e in load_norm_files([source(bad, "kapot.yaml")]).errors]
    assert len(expected) >= 2
    upload = _upload(bad, "kapot.yaml")
    response = staff_client.post(reverse("norms:upload"), {"bestand": upload})
    text = _text(response)
    assert f"{len(expected)} fouten gevonden; er is niets geladen" in text
    html = response.content.decode()
    for error in load_norm_files([source(bad, "kapot.yaml")]).errors:
        assert f"regel {error.line}, kolom {error.column}" in html
        assert error.message.replace("'", "&#x27;") in html
    assert not NormUpload.objects.exists()
    assert not NormVersion.objects.filter(label="2").exists()


def test_upload_rejects_a_file_that_is_not_yaml(staff_client):
    response = staff_client.post(reverse("norms:upload"), {"bestand": _upload("x", "norm.txt")})
    assert "Kies een bestand dat eindigt op .yaml of .yml." in response.content.decode()


def test_upload_preview_then_publish(staff_client, world, testnorm_v1):
    response = staff_client.post(reverse("norms:upload"), {"bestand": _upload(V2, "v2.yaml")})
    text = _text(response)
    assert "Het bestand is in orde." in text
    assert "testnorm 2 zou nieuw worden geladen (2 thema's, 5 stellingen)" in text
    # Per sector: PO 4, VO 4, SV 5; theme B has 4 statements, 3 of them for PO.
    assert "Stellingen per sector 4 4 5 5" in text
    assert "B Onderwijs 3 3 4 4" in text
    assert not NormVersion.objects.filter(label="2").exists()

    token = response.context["publish_form"].initial["token"]
    response = staff_client.post(reverse("norms:publish"), {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "norms:version", kwargs={"key": "testnorm", "label": "2"}
    )
    version = NormVersion.objects.get(norm__key="testnorm", label="2")
    assert version.loaded_by == world.user("staff")
    assert version.statements.count() == 5
    assert not NormUpload.objects.exists()


def test_publish_validates_again(staff_client, testnorm_v1):
    from selfscan.norms.models import Statement

    response = staff_client.post(reverse("norms:upload"), {"bestand": _upload(V2, "v2.yaml")})
    token = response.context["publish_form"].initial["token"]
    # Meanwhile the previous version disappears (for example another tab replaced it).
    Statement.objects.filter(version=testnorm_v1, code="B.2").update(code="B.20")
    response = staff_client.post(reverse("norms:publish"), {"token": token})
    assert response.status_code == 200
    assert "code &#x27;B.2&#x27; bestaat niet in de vorige versie" in response.content.decode()
    assert not NormVersion.objects.filter(label="2").exists()


def test_publish_with_a_wrong_token_changes_nothing(staff_client, testnorm_v1):
    staff_client.post(reverse("norms:upload"), {"bestand": _upload(V2, "v2.yaml")})
    response = staff_client.post(reverse("norms:publish"), {"token": "vervalst"}, follow=True)
    assert "Upload het bestand opnieuw" in response.content.decode()
    assert not NormVersion.objects.filter(label="2").exists()


def test_publishing_the_same_file_again_says_unchanged(staff_client, testnorm_v1):
    response = staff_client.post(reverse("norms:upload"), {"bestand": _upload(V1, "v1.yaml")})
    token = response.context["publish_form"].initial["token"]
    response = staff_client.post(reverse("norms:publish"), {"token": token}, follow=True)
    assert "is ongewijzigd" in response.content.decode()


def test_nav_shows_normen_for_logged_in_users(school_client):
    html = school_client.get("/").content.decode()
    assert f'href="{reverse("norms:index")}"' in html


def _upload(text: str, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="application/x-yaml")


@pytest.fixture
def anb_2026(anb):
    from tests.norms.samples import v3_text

    assert load_norm_files([source(v3_text(), "anb-2026.yaml")]).errors == []
    return NormVersion.objects.get(norm__key="anb", label="2026")


def test_changes_over_two_steps_follow_the_chain(school_client, anb_2026):
    url = reverse("norms:changes", kwargs={"key": "anb", "label": "2026"})
    response = school_client.get(url, {"van": "2024"})
    assert response.status_code == 200
    assert "Vergeleken over 2 stappen" in _text(response)
    merged = _section(response, "samengevoegd")
    assert re.search(r"V1-O04\.2 .* \+ V1-O04\.4 .* → T01\.20", merged)
    reworded = _section(response, "herformuleerd")
    assert "V1-B01.1 → T01.01" in reworded
    counts = _section(response, "aantallen")
    assert "PO 71 56 2 2" in counts and "SV 0 0 2 2" in counts
    assert _section(response, "vervallen").count("V1-") == 68


def test_changes_default_to_the_previous_version(school_client, anb_2026):
    url = reverse("norms:changes", kwargs={"key": "anb", "label": "2026"})
    response = school_client.get(url)
    assert "Vergeleken over" not in _text(response)
    assert re.search(r"T06\.03 .* \+ T06\.04 .* → T01\.20", _section(response, "samengevoegd"))
    assert _section(response, "vervallen").count("T") >= 66
    # An unknown label in the form falls back to the previous version.
    fallback = school_client.get(url, {"van": "1999"})
    assert fallback.status_code == 200
    assert "Vergeleken over" not in _text(fallback)


def test_version_changes_only_compares_with_earlier_versions(anb):
    from selfscan.norms.selectors import version_changes

    assert version_changes(anb["2025"], anb["2025"]) is None
    assert version_changes(anb["2024"], anb["2025"]) is None
    assert version_changes(anb["2024"]) is None
