"""The main navigation, by role. Each entry names a URL and the permission that shows it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from selfscan.accounts import permissions as perms


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    allowed: Callable[[Any], bool]


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Start"), "core:home", lambda user: True),
    # results and exports: one page, named by what each role finds there
    NavItem(
        _("Themakaarten"),
        "results:index",
        lambda user: perms.is_school_user(user) or perms.is_adviser(user),
    ),
    NavItem(_("Dashboard"), "results:index", perms.is_board_user),
    NavItem(_("Resultaten"), "results:index", perms.is_partnership_staff),
    NavItem(_("Exporteren"), "exports:index", perms.can_export),
]


def items_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    """The navigation entries `user` may see, skipping URLs that are not installed."""
    items = []
    for item in NAV_ITEMS:
        if not item.allowed(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        current = current_path == url or (url != "/" and current_path.startswith(url))
        items.append({"label": item.label, "url": url, "current": current})
    return items


__all__ = ["NAV_ITEMS", "NavItem", "items_for", "perms"]
