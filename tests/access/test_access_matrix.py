import importlib
import pkgutil
from typing import Any

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access.matrix import ALL, ANONYMOUS, Rule

EXCLUDED_NAMESPACES = {"admin"}  # checked through admin:index


def _collect_rules() -> list[Rule]:
    import tests.access as package

    rules: list[Rule] = []
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("rules_"):
            rules.extend(importlib.import_module(f"tests.access.{module.name}").RULES)
    return rules


RULES = _collect_rules()


def _pattern_names(patterns: list[Any], namespace: str = "") -> list[str]:
    names: list[str] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            if ns in EXCLUDED_NAMESPACES:
                continue
            names.extend(_pattern_names(pattern.url_patterns, full))
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed {pattern.pattern}>"
            names.append(f"{namespace}:{name}" if namespace else name)
    return names


def test_every_url_pattern_is_in_the_matrix():
    patterns = set(_pattern_names(get_resolver().url_patterns))
    covered = {rule.url_name for rule in RULES}
    assert sorted(patterns - covered) == [], "add these URLs to tests/access/rules_<app>.py"
    assert sorted(covered - patterns - {"admin:index"}) == [], "rules for URLs that do not exist"


def test_every_rule_names_every_role():
    incomplete = [rule.url_name for rule in RULES if set(rule.expect) != set(ALL)]
    assert incomplete == []


CASES = [
    pytest.param(rule, role, id=f"{rule.url_name}-{rule.method}-{role}")
    for rule in RULES
    for role in ALL
]


@pytest.mark.django_db
@pytest.mark.parametrize(("rule", "role"), CASES)
def test_access(client, world, rule: Rule, role: str):
    if role != ANONYMOUS:
        client.force_login(world.user(role))
    kwargs = rule.kwargs(world) if rule.kwargs else {}
    url = reverse(rule.url_name, kwargs=kwargs)
    data = rule.data(world) if rule.data else {}
    response = getattr(client, rule.method)(url, data)
    expected = rule.status_for(role)
    assert response.status_code == expected, f"{rule.method.upper()} {url} as {role}"
    if (
        role == ANONYMOUS
        and expected == 302
        and rule.url_name
        not in {
            "set_language",
            "accounts:logout",
            "admin:index",
        }
    ):
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))
