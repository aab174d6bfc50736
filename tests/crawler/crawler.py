"""A breadth-first crawl with Django's test Client: links and GET forms from the home page, then
every URL pattern filled from the demo, per role. It records server errors, template variables
that do not exist, which routes were reached, and one page per template for axe-core.
"""

import sys
import time
import traceback
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from django.conf import settings
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse

from tests.crawler import routes

# At most this many distinct URLs per route, per role and state: a list of 94 schools does not
# need 94 visits to find a template or view error. PDFs are slow to build: one per role.
PER_ROUTE = 2
ROUTE_LIMITS = {
    "results:themakaart_pdf": 1,
    "results:school_report_pdf": 1,  # a GET redirects to the report (decision 0232)
    "surveys:export_summary": 2,
}
MAX_PAGES_PER_ROLE = 400
# Templates whose markup changes with a round's state (forms to open, close, publish; locked
# scans; results shown or not): axe-core checks them once in every state, the others once.
STATE_TEMPLATES = {
    "rounds/detail.html",
    "rounds/list.html",
    "rounds/progress.html",
    "scans/overview.html",
    "scans/mine.html",
    "results/index.html",
}
# Not followed: Django's admin beyond the pages we link to, static files, and logging out.
SKIPPED_PREFIXES = ("/static/", "/media/", "/beheer/django/")
LEAF_PREFIXES = ("/beheer/django/",)
HTML = "text/html"


# --- template variables that do not exist -----------------------------------------------------


class InvalidVariables(str):
    """`string_if_invalid` that records each missing variable with the template it is in.

    Django formats it with the variable when it contains "%s"; `{% if %}` and `{% for %}` never
    use it, so only output like `{{ missing }}` or `{{ missing|pct }}` is recorded."""

    found: list[str]
    where: str

    def __new__(cls) -> "InvalidVariables":
        instance = super().__new__(cls, "%s")
        instance.found = []
        instance.where = ""
        return instance

    def __contains__(self, item: object) -> bool:
        return item == "%s"

    def __mod__(self, variable: object) -> str:
        origin = _template_origin()
        if "django/contrib/admin" not in origin:
            self.found.append(f"{origin}: {{{{ {variable} }}}} on {self.where}")
        return f"[missing: {variable}]"


def _template_origin() -> str:
    frame = sys._getframe(2)
    while frame is not None:
        node = frame.f_locals.get("self")
        if frame.f_code.co_name == "render_annotated" and getattr(node, "origin", None):
            name = node.origin.template_name or node.origin.name
            return str(name)
        frame = frame.f_back
    return "?"


@contextmanager
def strict_templates() -> Iterator[InvalidVariables]:
    marker = InvalidVariables()
    templates = [dict(t, OPTIONS=dict(t.get("OPTIONS", {}))) for t in settings.TEMPLATES]
    templates[0]["OPTIONS"]["string_if_invalid"] = marker
    with override_settings(TEMPLATES=templates):
        yield marker


# --- reading pages ---------------------------------------------------------------------------


@dataclass
class Form:
    method: str
    action: str | None
    fields: list[tuple[str, str]] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)


class PageParser(HTMLParser):
    """Links, forms with their default values, and script endpoints (htmx, data-*-url)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.endpoints: list[str] = []
        self._select: tuple[str, list[str], str | None] | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for name, value in a.items():
            if name in ("hx-post", "hx-get", "hx-put") or (
                name.startswith("data-") and name.endswith("-url")
            ):
                self.endpoints.append(value)
        form = self.forms[-1] if self.forms else None
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.forms.append(Form(a.get("method", "get").lower(), a.get("action")))
        elif tag == "button" and a.get("formaction"):
            self.endpoints.append(a["formaction"])
        elif form is None or "disabled" in a:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                form.choices.setdefault(a["name"], []).append(a.get("value", "on"))
                return
            form.fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], [], None)
        elif tag == "option" and self._select is not None:
            name, options, chosen = self._select
            value = a.get("value", "")
            options.append(value)
            if "selected" in a or chosen is None:
                chosen = value if "selected" in a or chosen is None else chosen
            self._select = (name, options, value if "selected" in a else chosen)
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            form.fields.append((a["name"], ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None and self.forms:
            name, options, chosen = self._select
            form = self.forms[-1]
            form.fields.append((name, chosen or ""))
            form.choices[name] = [o for o in options if o != chosen]
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def get_urls(page_url: str, form: Form) -> list[str]:
    """The form as submitted with its defaults, and once with each other choice's first value."""
    base = urljoin(page_url, form.action or page_url).split("?")[0]
    urls = [f"{base}?{urlencode(form.fields)}"]
    for name, others in form.choices.items():
        if others:
            fields = [(k, v) for k, v in form.fields if k != name] + [(name, others[0])]
            urls.append(f"{base}?{urlencode(fields)}")
    return urls


# --- the crawl -------------------------------------------------------------------------------


@dataclass
class Visit:
    url: str
    route: str | None
    status: int
    template: str | None


@dataclass
class Report:
    """What all crawls found, across roles and states."""

    pages: int = 0
    states: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    visited_routes: set[str] = field(default_factory=set)
    posted_routes: set[str] = field(default_factory=set)
    unfilled: set[str] = field(default_factory=set)
    # template (with the state for STATE_TEMPLATES) → (state, role, url) of the first page
    # that rendered it, for axe-core
    samples: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    axe: list[str] = field(default_factory=list)
    axe_checked: int = 0
    invalid_variables: list[str] = field(default_factory=list)
    timings: list[str] = field(default_factory=list)
    # logins whose crawl stopped at MAX_PAGES_PER_ROLE with pages still queued
    truncated: list[str] = field(default_factory=list)
    seconds_per_route: dict[str, float] = field(default_factory=dict)


def route_of(path: str) -> tuple[str | None, str | None]:
    """(route, URL name) of a path; (None, None) when it resolves to nothing."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None, None
    return match.route, match.view_name


class Crawler:
    """One state's crawl; `only` limits it to routes starting with one of the given prefixes
    (and the home page), `per_route` the URLs per route and login."""

    def __init__(
        self,
        report: Report,
        marker: InvalidVariables,
        state: str,
        only: tuple[str, ...] = ("",),
        per_route: int = PER_ROUTE,
    ) -> None:
        self.report = report
        self.marker = marker
        self.state = state
        self.only = only
        self.per_route = per_route

    def crawl(self, role: str, client: Client, seeds: list[str]) -> None:
        """Breadth first from the home page, then the seeds (every pattern, filled)."""
        seen: set[str] = set()
        per_route: dict[str, int] = {}
        queue: deque[str] = deque(["/"])
        pending_seeds = deque(seeds)
        visits = 0
        while (queue or pending_seeds) and visits < MAX_PAGES_PER_ROLE:
            # seeds are chosen (routes.py) and few: they do not count against a route's budget
            seed = not queue
            url = pending_seeds.popleft() if seed else queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            route, name = route_of(url)
            if route is None or not (route.startswith(self.only) or route == ""):
                continue
            limit = min(ROUTE_LIMITS.get(name or "", self.per_route), self.per_route)
            if per_route.get(route, 0) >= limit and not seed:
                continue
            per_route[route] = per_route.get(route, 0) + 1
            visits += 1
            for found in self.visit(role, client, url, route):
                if found not in seen:
                    queue.append(found)
        if queue or pending_seeds:
            self.report.truncated.append(f"{role} in {self.state}: {len(queue)} left")

    def visit(self, role: str, client: Client, url: str, route: str) -> list[str]:
        where = f"{url} ({role}, {self.state})"
        self.marker.where = where
        before = len(self.marker.found)
        started = time.monotonic()
        try:
            response = client.get(url)
        except Exception as error:  # the Client re-raises the view's exception
            last = traceback.extract_tb(error.__traceback__)[-1]
            self.report.errors.append(
                f"{where}: {type(error).__name__}: {error} at {last.filename}:{last.lineno}"
            )
            return []
        self.report.pages += 1
        spent = self.report.seconds_per_route.get(route, 0.0)
        self.report.seconds_per_route[route] = spent + time.monotonic() - started
        self.report.visited_routes.add(route)
        self.report.invalid_variables.extend(self.marker.found[before:])
        if response.status_code >= 500:
            self.report.errors.append(f"{where}: HTTP {response.status_code}")
        if response.status_code in (301, 302, 303, 307, 308):
            target = urljoin(url, response["Location"])
            return [target] if _same_site(target) else []
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(HTML):
            return []
        templates = [t.name for t in getattr(response, "templates", []) if t.name]
        if templates:
            key = templates[0]
            if key in STATE_TEMPLATES:
                key = f"{key} [{self.state}]"
            self.report.samples.setdefault(key, (self.state, role, url))
        if url.startswith(LEAF_PREFIXES):
            return []
        return self.read(url, response.content.decode())

    def read(self, url: str, html: str) -> list[str]:
        parser = PageParser()
        parser.feed(html)
        found: list[str] = []
        for href in parser.links:
            target = urljoin(url, href).split("#")[0]
            path = urlsplit(target).path
            if _same_site(target) and (
                path.startswith(LEAF_PREFIXES) or not path.startswith(SKIPPED_PREFIXES)
            ):
                found.append(_local(target))
        for form in parser.forms:
            if form.method == "get":
                found.extend(_local(u) for u in get_urls(url, form) if _same_site(u))
            else:
                self._posted(urljoin(url, form.action or url))
        for endpoint in parser.endpoints:
            self._posted(urljoin(url, endpoint))
        return found

    def _posted(self, target: str) -> None:
        route, _name = route_of(target)
        if route is not None:
            self.report.posted_routes.add(route)


def _same_site(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("", "http", "https") and parts.netloc in ("", "testserver")


def _local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def unreached(report: Report) -> list[str]:
    """URL patterns no visit, form or script endpoint reached, and not allowlisted."""
    every = routes.all_routes()
    reached = report.visited_routes | report.posted_routes | set(routes.ALLOWLIST)
    return sorted(
        f"{name} ({route})" for route, (name, _p) in every.items() if route not in reached
    )


def seed_urls(extra: dict[str, list[dict[str, Any]]], report: Report) -> list[str]:
    """Every URL pattern, filled with demo ids (unfillable ones are reported)."""
    urls = []
    for route, (name, params) in sorted(routes.all_routes().items()):
        if not params:
            urls.append(reverse(name))
            continue
        samples = routes.kwargs_for(name, params, extra)
        if samples is None:
            if route not in routes.ALLOWLIST:
                report.unfilled.add(f"{name} ({route})")
            continue
        urls.extend(reverse(name, kwargs=kwargs) for kwargs in samples)
    return urls
