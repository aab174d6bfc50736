"""The crawler's own parts, without the demo: the coverage guard, missing-variable recording
and how GET forms become URLs."""

from django.template import engines
from django.test import override_settings

from tests.crawler import routes
from tests.crawler.crawler import PageParser, Report, get_urls, strict_templates, unreached


def test_a_url_pattern_nobody_reaches_fails_the_coverage_guard():
    everything = Report(visited_routes=set(routes.all_routes()))
    assert unreached(everything) == []
    with override_settings(ROOT_URLCONF="tests.crawler.urls_extra"):
        assert unreached(everything) == ["unlinked (ongelinkt/<int:pk>/)"]
        assert routes.kwargs_for("unlinked", ["pk"], {}) is None  # so it would be listed


def test_a_form_posting_to_a_pattern_counts_as_reaching_it():
    report = Report(visited_routes=set(routes.all_routes()) - {"meetrondes/<int:pk>/sluiten/"})
    assert unreached(report) == ["rounds:close (meetrondes/<int:pk>/sluiten/)"]
    report.posted_routes.add("meetrondes/<int:pk>/sluiten/")
    assert unreached(report) == []


def test_missing_variables_are_recorded_with_their_template_but_if_tags_are_not():
    with strict_templates() as marker:
        marker.where = "/pagina/"
        html = (
            engines["django"]
            .from_string("{% if missing %}x{% endif %}{{ present }}{{ gone.deeper|default:'–' }}")
            .render({"present": "hier"})
        )
    assert "hier" in html
    assert len(marker.found) == 1
    assert "{{ gone.deeper }} on /pagina/" in marker.found[0]


def test_get_forms_are_submitted_with_their_defaults_and_each_other_choice():
    parser = PageParser()
    parser.feed(
        '<form method="get" action="/lijst/"><input name="q" value="zoek">'
        '<select name="sector"><option value="">alle</option><option value="PO">PO</option>'
        '</select><input type="checkbox" name="alleen" value="1"><button>Zoek</button></form>'
        '<form method="post" action="/opslaan/"></form>'
    )
    get, post = parser.forms
    assert post.method == "post" and post.action == "/opslaan/"
    assert get_urls("/start/", get) == [
        "/lijst/?q=zoek&sector=",
        "/lijst/?q=zoek&sector=PO",
        "/lijst/?q=zoek&sector=&alleen=1",
    ]
