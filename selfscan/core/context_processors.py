from typing import Any

from django.http import HttpRequest

from .navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"nav_items": items_for(user, request.path) if user is not None else []}
