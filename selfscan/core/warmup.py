"""Work every app-server process would otherwise do inside its first requests, done at start.

At a deadline rush a fresh gunicorn worker's first requests queue behind its own start-up work:
importing every view (pandas and the chart libraries with them), building the URL resolver's
reverse tables for each language, and compiling the templates the pages use (the cached
template loader compiles each one once per process). Measured on the load benchmark's data, the
first wizard step of a fresh process cost 189 ms of CPU with only the views imported, 63 ms with
this warm-up, against 18 ms when warm (decisions 0265 and 0276). Called by `selfscan.wsgi`.
"""

from pathlib import Path

from django.conf import settings
from django.template import Engine
from django.urls import get_resolver, reverse
from django.utils import translation


def project_templates() -> list[str]:
    """The names of this project's own templates (templates/ and each app's templates/);
    the admin's and other libraries' stay lazy."""
    roots = [Path(d) for d in Engine.get_default().dirs]
    roots += sorted(Path(settings.BASE_DIR, "selfscan").glob("*/templates"))
    names = {path.relative_to(root).as_posix() for root in roots for path in root.rglob("*.html")}
    return sorted(names)


def warm_up() -> None:
    # Reading the patterns imports every URL module, and with them every view.
    get_resolver().url_patterns  # noqa: B018
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("core:home")  # fills the reverse table (one per language) and the catalog
    engine = Engine.get_default()
    for name in project_templates():
        engine.get_template(name)
