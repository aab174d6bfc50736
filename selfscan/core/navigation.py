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


# In the order of the yearly work: fill in, follow, read results, then reference and management.
NAV_ITEMS: list[NavItem] = [
    NavItem(_("Start"), "core:home", lambda user: True),
    NavItem(_("Mijn zelfscan"), "scans:mine", perms.is_school_user),
    NavItem(_("Meetrondes"), "rounds:list", perms.can_manage_rounds),
    NavItem(_("Voortgang"), "rounds:latest_progress", perms.can_view_progress),
    # results: one page, named by what each role finds there
    NavItem(
        _("Themakaarten"),
        "results:index",
        lambda user: perms.is_school_user(user) or perms.is_adviser(user),
    ),
    NavItem(_("Dashboard"), "results:index", perms.is_board_user),
    NavItem(_("Resultaten"), "results:index", perms.is_partnership_staff),
    NavItem(_("Verbeteracties"), "plans:index", perms.can_view_action_pages),
    NavItem(_("Teamspreiding"), "perspectives:spread_index", perms.can_view_spread_indicators),
    NavItem(_("Exporteren"), "exports:index", perms.can_export),
    NavItem(_("Normen"), "norms:index", perms.can_view_norms),
    NavItem(_("Vragenlijsten"), "surveys:list", perms.can_manage_surveys),
    NavItem(_("Scholenregister"), "organisations:school_list", perms.can_manage_register),
    NavItem(_("Gebruikers"), "accounts:user_list", perms.can_manage_users),
    NavItem(_("Resultaten importeren"), "imports:start", perms.can_manage_rounds),
    NavItem(_("Auditlog"), "audit:log", perms.can_view_audit_log),
    # Personal API tokens (issue 20): last, as account settings; in the header it made the
    # folded phone header a line taller.
    NavItem(_("API-sleutels"), "api_tokens:list", lambda user: user.is_authenticated),
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
