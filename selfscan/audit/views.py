from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from selfscan.accounts import permissions as perms
from selfscan.core.access import require

from . import selectors
from .labels import action_label


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Door (e-mailadres)"), required=False)
    action = forms.ChoiceField(label=_("Actie"), required=False)
    obj = forms.CharField(label=_("Object"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        actions = selectors.known_actions()
        self.fields["action"].choices = [("", _("Alle")), *((a, action_label(a)) for a in actions)]  # type: ignore[attr-defined]


@require(perms.can_view_audit_log)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_events(
        actor=filters.get("actor", "").strip(),
        action=filters.get("action", ""),
        obj=filters.get("obj", "").strip(),
    )
    page = Paginator(events, 50).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
