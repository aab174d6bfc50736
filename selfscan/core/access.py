"""View decorators that wire `selfscan.accounts.permissions` predicates to HTTP answers.

Anonymous users are sent to the login page; logged-in users without the right get 403.
Object-level checks are not done here: views fetch objects from a scoped queryset (404).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def require(predicate: Callable[[Any], bool]) -> Callable[[View], View]:
    """Allow the view only when `predicate(request.user)` holds."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
