"""The app server's start-up warm-up (selfscan.core.warmup): it compiles every template of the
project once, so the first requests of a fresh worker do not, and a template that does not
compile stops the start instead of the first page that uses it."""

from django.template import engines
from django.urls import clear_url_caches, get_resolver

from selfscan.core.warmup import project_templates, warm_up


def _cached_names() -> set[str]:
    loader = engines["django"].engine.template_loaders[0]
    return {template.origin.template_name for template in loader.get_template_cache.values()}


def test_warm_up_compiles_the_projects_templates_and_fills_the_url_tables():
    names = project_templates()
    assert "base.html" in names and "scans/step.html" in names
    assert not any(name.startswith("admin/") for name in names)
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    clear_url_caches()  # a new resolver, with no reverse table yet
    assert "scans/step.html" not in _cached_names()
    assert not get_resolver()._reverse_dict

    warm_up()

    assert set(names) <= _cached_names()
    assert {"nl", "en"} <= set(get_resolver()._reverse_dict)


def test_the_wsgi_application_warms_up_at_import(monkeypatch):
    import importlib

    import selfscan.core.warmup
    import selfscan.wsgi

    calls = []
    monkeypatch.setattr(selfscan.core.warmup, "warm_up", lambda: calls.append("warm"))
    importlib.reload(selfscan.wsgi)
    assert calls == ["warm"]
