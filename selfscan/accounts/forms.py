from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from selfscan.core.forms import IdsMultipleChoiceField
from selfscan.organisations.models import Bestuur, School, Sector, Wijk

from .models import Role, User


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mailadres"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "Dit e-mailadres en wachtwoord horen niet bij elkaar. Let op hoofdletters in het "
            "wachtwoord."
        ),
        "inactive": _("Dit account is niet actief. Neem contact op met het samenwerkingsverband."),
        "sso_required": _(
            "Voor uw rol is inloggen met het wachtwoord uitgeschakeld. Log in met uw schoolaccount "
            "(de knop hieronder)."
        ),
    }

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        # Imported here: the sso app builds on accounts, not the other way round.
        from selfscan.sso import services as sso

        if sso.password_login_refused(user):
            sso.refuse_password_login(user)
            raise forms.ValidationError(self.error_messages["sso_required"], code="sso_required")


class UserLinksMixin(forms.Form):
    """Role and the schools, besturen and wijken a user is linked to.

    Only an administrator may hand out the administrator role (`may_grant_admin`); for other
    staff the choice is absent and a tampered POST with it is refused as an invalid choice.
    """

    def limit_roles(self, may_grant_admin: bool) -> None:
        if not may_grant_admin:
            self.fields["role"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in Role.choices if value != Role.ADMIN
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role == Role.SCHOOL and not data.get("schools"):
            self.add_error("schools", _("Kies minstens één school voor een schoolteamlid."))
        if role == Role.BOARD and not data.get("besturen"):
            self.add_error("besturen", _("Kies minstens één bestuur voor een bestuursmedewerker."))
        if role == Role.ADVISER and not (data.get("schools") or data.get("wijken")):
            self.add_error("wijken", _("Kies scholen of wijken voor een adviseur."))
        return data


def _link_fields() -> dict[str, forms.Field]:
    return {
        "schools": IdsMultipleChoiceField(
            label=_("Scholen"),
            required=False,
            queryset=School.objects.order_by("name"),
            help_text=_("Voor schoolteamleden en adviseurs. Meerdere kiezen met Ctrl of Cmd."),
        ),
        "besturen": IdsMultipleChoiceField(
            label=_("Besturen"),
            required=False,
            queryset=Bestuur.objects.order_by("name"),
            help_text=_("Voor bestuursmedewerkers."),
        ),
        "wijken": IdsMultipleChoiceField(
            label=_("Wijken"),
            required=False,
            queryset=Wijk.objects.order_by("name"),
            help_text=_("Voor adviseurs."),
        ),
    }


class InviteForm(UserLinksMixin):
    email = forms.EmailField(label=_("E-mailadres"))
    first_name = forms.CharField(label=_("Voornaam"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)

    def __init__(self, *args: Any, may_grant_admin: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_link_fields())
        self.limit_roles(may_grant_admin)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(_("Er bestaat al een account met dit e-mailadres."))
        return email

    def invite(self, *, actor: Any) -> tuple[User, str]:
        """Invite the person this valid form describes (the page and `invite_user` alike)."""
        from .services import invite_user

        data = self.cleaned_data
        return invite_user(
            email=data["email"],
            role=data["role"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            schools=data["schools"],
            besturen=data["besturen"],
            wijken=data["wijken"],
            actor=actor,
        )


class UserEditForm(UserLinksMixin):
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)
    is_active = forms.BooleanField(
        label=_("Actief (uit: het account kan niet meer inloggen)"), required=False
    )

    def __init__(self, *args: Any, may_grant_admin: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_link_fields())
        self.limit_roles(may_grant_admin)


class BulkInviteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Wie"),
        required=False,
        choices=[
            ("scholen", _("Contactpersonen van scholen (als schoolteamlid)")),
            ("besturen", _("Contactpersonen van besturen (als bestuursmedewerker)")),
        ],
    )
    sector = forms.ChoiceField(
        label=_("Scholen"),
        required=False,
        choices=[("", _("Alle actieve scholen")), *Sector.choices],
    )


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    password1 = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minstens 8 tekens; niet alleen cijfers en geen veelgebruikt wachtwoord."),
    )
    password2 = forms.CharField(
        label=_("Wachtwoord nogmaals"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
