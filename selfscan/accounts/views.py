from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from selfscan.core.access import require

from . import permissions as perms
from . import selectors, services
from .forms import AcceptInvitationForm, BulkInviteForm, InviteForm, UserEditForm
from .models import Role


@require(perms.can_manage_users)
def user_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    role = request.GET.get("rol", "")
    role = role if role in Role.values else ""
    users = list(selectors.user_list(request.user, q=q, role=role))
    return render(
        request,
        "accounts/user_list.html",
        {"users": users, "q": q, "role": role, "roles": Role.choices},
    )


@require(perms.can_manage_users)
def user_invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None, may_grant_admin=perms.is_admin(request.user))
    if request.method == "POST" and form.is_valid():
        user, _token = form.invite(actor=request.user)
        messages.success(
            request, _("Uitnodiging verstuurd naar %(email)s.") % {"email": user.email}
        )
        return redirect("accounts:user_list")
    return render(request, "accounts/invite.html", {"form": form})


@require(perms.can_manage_users)
def user_bulk_invite(request: HttpRequest) -> HttpResponse:
    form = BulkInviteForm(request.POST or request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    besturen = data.get("kind") == "besturen"
    targets = (
        services.besturen_with_contact()
        if besturen
        else services.schools_with_contact(data.get("sector", ""))
    )
    if request.method == "POST" and form.is_valid():
        if besturen:
            result = services.bulk_invite_besturen(besturen=targets, actor=request.user)
        else:
            result = services.bulk_invite_schools(schools=targets, actor=request.user)
        messages.success(
            request,
            _("%(invited)d uitnodigingen verstuurd; %(skipped)d overgeslagen (al een account).")
            % {"invited": len(result.invited), "skipped": len(result.skipped)},
        )
        return redirect("accounts:user_list")
    existing = set(perms.visible_users(request.user).values_list("email", flat=True))
    rows = [(target, target.contact_email.lower() in existing) for target in targets]
    return render(request, "accounts/bulk_invite.html", {"form": form, "rows": rows})


@require(perms.can_manage_users)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(perms.visible_users(request.user), pk=pk)
    if not perms.can_change_user(request.user, target):
        raise PermissionDenied
    initial = {
        "role": target.role,
        "is_active": target.is_active,
        "schools": target.schools.all(),
        "besturen": target.besturen.all(),
        "wijken": target.wijken.all(),
    }
    form = UserEditForm(
        request.POST or None, initial=initial, may_grant_admin=perms.is_admin(request.user)
    )
    if request.method == "POST" and form.is_valid():
        services.update_user(user=target, data=form.cleaned_data, actor=request.user)
        messages.success(request, _("De wijzigingen zijn opgeslagen."))
        return redirect("accounts:user_list")
    return render(request, "accounts/user_edit.html", {"form": form, "target": target})


@require(perms.can_manage_users)
@require_POST
def user_reinvite(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(perms.visible_users(request.user), pk=pk)
    if not perms.can_change_user(request.user, target):
        raise PermissionDenied
    services.create_invitation(user=target, actor=request.user)
    messages.success(
        request, _("Nieuwe uitnodiging verstuurd naar %(email)s.") % {"email": target.email}
    )
    return redirect("accounts:user_list")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the link from the invitation e-mail. Unknown, expired or used links answer 404."""
    try:
        invitation = services.find_invitation(token)
    except services.InvitationInvalid:
        return render(request, "accounts/invitation_invalid.html", status=404)
    user = invitation.user
    # Imported here: the sso app builds on accounts, not the other way round.
    from selfscan.sso.services import password_login_refused

    if password_login_refused(user):
        # This role logs in with the school's account only; that login spends the invitation.
        return render(request, "sso/invitation.html", {"invited": user})
    form = AcceptInvitationForm(
        user,
        request.POST or None,
        initial={"first_name": user.first_name, "last_name": user.last_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token=token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationInvalid:
            return render(request, "accounts/invitation_invalid.html", status=404)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welkom! Uw account is klaar."))
        return redirect("core:home")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invited": user})


@require(perms.is_member)
@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """Pinged by session-timeout.js: the request itself renews the session."""
    request.session.modified = True
    return HttpResponse(status=204)
