"""Forms: the public response form (built from the questions) and the staff forms."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import NUMERIC_KINDS, Category, Question, QuestionKind, Section, Survey
from .schema import question_problems

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
TOKEN_FIELD = "submission_token"  # noqa: S105 - a form field name, not a secret
YES, NO = "ja", "nee"


def field_name(question: Question) -> str:
    return f"q_{question.key}"


class NumberField(forms.Field):
    """A number with a decimal comma or point, within optional bounds."""

    def __init__(self, *, low: int | None, high: int | None, **kwargs: Any) -> None:
        self.low, self.high = low, high
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        if len(text) > 30:
            raise forms.ValidationError(_("Vul een getal in, bijvoorbeeld 12 of 3,5."))
        try:
            number = Decimal(str(text).replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise forms.ValidationError(
                _("Vul een getal in, bijvoorbeeld 12 of 3,5."), code="invalid"
            ) from None
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            raise forms.ValidationError(_("Vul een getal in, bijvoorbeeld 12 of 3,5."))
        if self.low is not None and number < self.low:
            raise forms.ValidationError(_("Het getal moet minstens %(n)s zijn.") % {"n": self.low})
        if self.high is not None and number > self.high:
            raise forms.ValidationError(_("Het getal mag hoogstens %(n)s zijn.") % {"n": self.high})
        return int(number) if number == number.to_integral_value() else float(number)


def _question_field(question: Question) -> forms.Field:
    required_message = _("Beantwoord deze vraag.")
    choice_message = _("Kies een van de gegeven antwoorden.")
    common: dict[str, Any] = {
        "label": question.text,
        "required": question.required,
        "help_text": question.help_text,
    }
    kind = question.kind
    if kind == QuestionKind.YES_NO:
        return forms.ChoiceField(
            choices=[(YES, _("Ja")), (NO, _("Nee"))],
            widget=forms.RadioSelect,
            error_messages={"required": required_message, "invalid_choice": choice_message},
            **common,
        )
    if kind == QuestionKind.SINGLE:
        return forms.ChoiceField(
            choices=[(o, o) for o in question.options],
            widget=forms.RadioSelect,
            error_messages={"required": required_message, "invalid_choice": choice_message},
            **common,
        )
    if kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=[(o, o) for o in question.options],
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _("Kies minstens één antwoord."),
                "invalid_choice": choice_message,
                "invalid_list": choice_message,
            },
            **common,
        )
    if kind == QuestionKind.GRADE:
        low, high = question.scale_min or 0, question.scale_max or 0
        out_of_range = _("Kies een cijfer van %(low)s tot en met %(high)s.") % {
            "low": low,
            "high": high,
        }
        return forms.TypedChoiceField(
            choices=[(str(i), str(i)) for i in range(low, high + 1)],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect(attrs={"class": "grade-option"}),
            error_messages={"required": required_message, "invalid_choice": out_of_range},
            **common,
        )
    if kind == QuestionKind.NUMBER:
        return NumberField(
            low=question.scale_min,
            high=question.scale_max,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            error_messages={"required": required_message},
            **common,
        )
    limit = question.text_limit
    widget: forms.Widget = (
        forms.Textarea(attrs={"rows": 5}) if kind == QuestionKind.LONG_TEXT else forms.TextInput()
    )
    widget.attrs.update({"maxlength": str(limit), "autocomplete": "off"})
    return forms.CharField(
        max_length=limit,
        widget=widget,
        error_messages={
            "required": required_message,
            "max_length": _(
                "Uw antwoord is te lang: hoogstens %(limit_value)d tekens (nu %(show_value)d)."
            ),
        },
        **common,
    )


class ResponseForm(forms.Form):
    """One respondent's answers. `cleaned_values()` maps question id -> value (None = blank)."""

    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, questions: list[Question], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[field_name(question)] = _question_field(question)
        self.fields[TOKEN_FIELD].error_messages = {
            "required": _(
                "Het formulier is onvolledig; laad de pagina opnieuw en probeer het nog eens."
            ),
        }

    def clean_submission_token(self) -> str:
        token = self.cleaned_data[TOKEN_FIELD]
        if not TOKEN_PATTERN.match(token):
            raise forms.ValidationError(
                _("Het formulier is onvolledig; laad de pagina opnieuw en probeer het nog eens.")
            )
        return token

    def grouped(self) -> list[tuple[Section | None, list[tuple[Question, forms.BoundField]]]]:
        """Questions with their bound fields, grouped by section in the order given."""
        groups: list[tuple[Section | None, list[tuple[Question, forms.BoundField]]]] = []
        for question in self.questions:
            section = question.section
            if not groups or groups[-1][0] != section:
                groups.append((section, []))
            bound = self[field_name(question)]
            described = [f"{bound.auto_id}_helptext"] if question.help_text else []
            if bound.errors:
                described.append(f"{bound.auto_id}_error")
                bound.field.widget.attrs["aria-invalid"] = "true"
            if described and not isinstance(
                bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
            ):
                bound.field.widget.attrs["aria-describedby"] = " ".join(described)
            groups[-1][1].append((question, bound))
        return groups

    def cleaned_values(self) -> dict[int, Any]:
        values: dict[int, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if question.kind == QuestionKind.YES_NO:
                value = {YES: True, NO: False}.get(value or "")
            elif question.kind == QuestionKind.MULTIPLE:
                value = [o for o in question.options if o in (value or [])] or None
            elif isinstance(value, str):
                value = value.strip() or None
            values[question.pk] = value
        return values


# --- staff forms ----------------------------------------------------------------------------


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "intro", "opens_at", "closes_at", "min_group_size"]
        widgets = {
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "intro": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "opens_at": gettext_lazy(
                "Gepland openen: de vragenlijst gaat op dit moment open, als u hem hebt geopend. "
                "Leeg: open zodra u op 'Openen' klikt."
            ),
            "closes_at": gettext_lazy(
                "Gepland sluiten: vanaf dit moment kan niemand meer invullen. "
                "Leeg: open tot u de vragenlijst sluit."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        size = self.fields["min_group_size"]
        size.required = False  # empty: the default
        size.min_value = 1  # type: ignore[attr-defined]

    def clean_min_group_size(self) -> int:
        value = self.cleaned_data.get("min_group_size")
        if value is None:
            return self.instance.min_group_size if self.instance.pk else 5
        if value < 1:
            raise forms.ValidationError(_("De kleinste groep is minstens 1."))
        return int(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("De sluitdatum moet na de openingsdatum liggen."))
        return data


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}


KIND_FIELDS: dict[str, tuple[str, ...]] = {
    QuestionKind.YES_NO: (),
    QuestionKind.SINGLE: ("options",),
    QuestionKind.MULTIPLE: ("options",),
    QuestionKind.GRADE: ("scale_min", "scale_max", "bins"),
    QuestionKind.NUMBER: ("scale_min", "scale_max", "bins"),
    QuestionKind.SHORT_TEXT: ("max_length",),
    QuestionKind.LONG_TEXT: ("max_length",),
}
KIND_ONLY_FIELDS = ("options", "scale_min", "scale_max", "bins", "max_length")


class KindForm(forms.Form):
    """Step one of the question form: choose the kind (a GET form, so it works without
    JavaScript); the question form then shows only that kind's fields."""

    kind = forms.ChoiceField(label=gettext_lazy("Soort vraag"), choices=QuestionKind.choices)


class QuestionForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Vraag"), max_length=500)
    key = forms.SlugField(
        label=gettext_lazy("Sleutel"),
        max_length=80,
        required=False,
        help_text=gettext_lazy(
            "Korte naam voor exports, bijvoorbeeld 'tevredenheid'. Leeg: uit de vraag."
        ),
    )
    help_text = forms.CharField(label=gettext_lazy("Toelichting"), max_length=500, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Soort vraag"), choices=QuestionKind.choices)
    required = forms.BooleanField(label=gettext_lazy("Verplicht"), required=False)
    section = forms.ModelChoiceField(
        label=gettext_lazy("Onderdeel"),
        queryset=Section.objects.none(),
        required=False,
        empty_label=gettext_lazy("(geen onderdeel)"),
    )
    options = forms.CharField(
        label=gettext_lazy("Opties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Alleen bij keuzevragen: één optie per regel."),
    )
    scale_min = forms.IntegerField(
        label=gettext_lazy("Laagste waarde"),
        required=False,
        help_text=gettext_lazy("Cijfer: verplicht (bijvoorbeeld 1). Getal: optioneel."),
    )
    scale_max = forms.IntegerField(
        label=gettext_lazy("Hoogste waarde"),
        required=False,
        help_text=gettext_lazy("Cijfer: verplicht (bijvoorbeeld 5 of 10). Getal: optioneel."),
    )
    bins = forms.CharField(
        label=gettext_lazy("Klassen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Per regel 'naam; vanaf; tot', een grens mag leeg zijn. 'Vanaf' telt mee, "
            "'tot' niet (tot, niet tot en met): '6–8; 6; 8' telt 6 en 7, niet 8. "
            "Bijvoorbeeld: '< 6; ; 6' en '8 of hoger; 8;'."
        ),
    )
    max_length = forms.IntegerField(
        label=gettext_lazy("Maximale lengte"),
        required=False,
        min_value=1,
        max_value=5000,
        help_text=gettext_lazy("Open vragen: hoogstens zoveel tekens (leeg: 200 kort, 2000 lang)."),
    )

    def __init__(self, survey: Survey, *args: Any, kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.fields["section"].queryset = survey.sections.all()  # type: ignore[attr-defined]
        # Only the fields of the chosen kind (from the post, the page's `?kind=` or the
        # question): the kind is chosen first, in its own small form, so this works without
        # JavaScript; here it travels as a hidden field.
        if self.is_bound:
            kind = str(self.data.get("kind", ""))
        kind = kind if kind in QuestionKind.values else str(self.initial.get("kind") or "yes_no")
        self.chosen_kind = kind
        self.initial["kind"] = kind
        self.fields["kind"].widget = forms.HiddenInput()
        for name in KIND_ONLY_FIELDS:
            if name not in KIND_FIELDS.get(kind, ()):
                del self.fields[name]

    @property
    def kind_label(self) -> str:
        return str(QuestionKind(self.chosen_kind).label)

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        return {
            "text": question.text,
            "key": question.key,
            "help_text": question.help_text,
            "kind": question.kind,
            "required": question.required,
            "section": question.section_id,
            "options": "\n".join(question.options or []),
            "scale_min": question.scale_min,
            "scale_max": question.scale_max,
            "bins": "\n".join(
                f"{b['label']}; {_fmt(b.get('at_least'))}; {_fmt(b.get('below'))}"
                for b in question.bins or []
            ),
            "max_length": question.max_length,
        }

    def _clean_bins(self) -> list[dict[str, Any]]:
        bins = []
        for number, line in enumerate((self.cleaned_data.get("bins") or "").splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            if len(parts) != 3 or not parts[0]:
                raise forms.ValidationError(
                    _("Regel %(n)d: schrijf 'naam; vanaf; tot'.") % {"n": number}
                )
            try:
                bounds = [float(p.replace(",", ".")) if p else None for p in parts[1:]]
            except ValueError:
                raise forms.ValidationError(
                    _("Regel %(n)d: de grenzen moeten getallen zijn.") % {"n": number}
                ) from None
            bins.append({"label": parts[0], "at_least": bounds[0], "below": bounds[1]})
        return bins

    def clean_bins(self) -> list[dict[str, Any]]:
        return self._clean_bins()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind", "")
        options = [o.strip() for o in (data.get("options") or "").splitlines() if o.strip()]
        data["options"] = options
        if not data.get("key") and data.get("text"):
            data["key"] = slugify(data["text"])[:60] or "vraag"
        bins = data.get("bins") or []
        field_of = {"options": "options", "min": "scale_min", "max": "scale_max", "bins": "bins"}
        for where, message in question_problems(
            kind=kind,
            options=options,
            scale_min=data.get("scale_min"),
            scale_max=data.get("scale_max"),
            bins=[(b["label"], b["at_least"], b["below"]) for b in bins],
        ):
            field = field_of[where]
            self.add_error(
                field if field in self.fields else None, message[0].upper() + message[1:] + "."
            )
        if kind not in NUMERIC_KINDS and kind != QuestionKind.GRADE:
            data["bins"] = []
        return data

    def model_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "key": data["key"],
            "help_text": data.get("help_text", ""),
            "kind": data["kind"],
            "required": data.get("required", False),
            "section": data.get("section"),
            "options": data.get("options") or [],
            "scale_min": data.get("scale_min"),
            "scale_max": data.get("scale_max"),
            "bins": data.get("bins") or [],
            "max_length": data.get("max_length"),
        }


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


MAX_UPLOAD_BYTES = 1_000_000  # a survey file is a few kB


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bestand met de vragenlijst (YAML)"),
        help_text=gettext_lazy("Zie de voorbeelden in selfscan/surveys/examples/."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Het bestand is te groot (hoogstens %(kb)s kB).")
                % {"kb": MAX_UPLOAD_BYTES // 1000}
            )
        return upload


class CategoryForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nieuwe categorie"), max_length=200)


class RenameForm(forms.Form):
    category = forms.ModelChoiceField(
        label=gettext_lazy("Categorie"), queryset=Category.objects.none()
    )
    name = forms.CharField(label=gettext_lazy("Nieuwe naam"), max_length=200)

    def __init__(self, question: Question, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = question.categories.all()  # type: ignore[attr-defined]


class MergeForm(forms.Form):
    source = forms.ModelChoiceField(
        label=gettext_lazy("Voeg deze categorie"), queryset=Category.objects.none()
    )
    target = forms.ModelChoiceField(
        label=gettext_lazy("samen met"), queryset=Category.objects.none()
    )

    def __init__(self, question: Question, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("source", "target"):
            self.fields[name].queryset = question.categories.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") and data.get("source") == data.get("target"):
            self.add_error("target", _("Kies twee verschillende categorieën."))
        return data


def parse_coding(data: Any, answer_ids: list[int]) -> dict[int, tuple[list[int], bool]]:
    """The coding form's POST: `cat-<answer id>` (category ids) and `unique-<answer id>`."""
    coding: dict[int, tuple[list[int], bool]] = {}
    for answer_id in answer_ids:
        raw = data.getlist(f"cat-{answer_id}")
        try:
            ids = [int(v) for v in raw]
        except ValueError:
            ids = [-1]
        coding[answer_id] = (ids, data.get(f"unique-{answer_id}") == "1")
    return coding
