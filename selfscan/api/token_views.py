"""The account page's API tokens: list, create (shown once), revoke."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import selectors_tokens, services
from .forms import TokenForm

NEW_TOKEN_KEY = "api_new_token"  # noqa: S105 (a session key, not a secret)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's tokens and a form to make one. A new token goes through the session to the
    page after the redirect and is shown there once (a reload neither makes nor shows it again)."""
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            _token, text = services.create_token(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
            request.session[NEW_TOKEN_KEY] = text
            return redirect("api_tokens:list")
    else:
        form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_token": request.session.pop(NEW_TOKEN_KEY, ""),
            "tokens": selectors_tokens.tokens_of(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )
    response["Cache-Control"] = "no-store"  # the new token is on this page once
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(selectors_tokens.tokens_of(request.user), pk=pk)
    services.revoke_token(user=request.user, token=token)
    return redirect("api_tokens:list")
