"""The account page's API tokens: list, create (shown once), revoke."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import selectors_tokens, services
from .forms import TokenForm


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    new_token = ""
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            _token, new_token = services.create_token(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
            form = TokenForm()
    else:
        form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": selectors_tokens.tokens_of(request.user),
        },
        status=400 if request.method == "POST" and not new_token else 200,
    )
    response["Cache-Control"] = "no-store"  # the new token is on this page once
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(selectors_tokens.tokens_of(request.user), pk=pk)
    services.revoke_token(user=request.user, token=token)
    return redirect("api_tokens:list")
