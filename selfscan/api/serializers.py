"""The API's field names (stable, English snake_case) with their meaning in Dutch and English.

These texts document the API in the OpenAPI schema; they are not translated at run time so that
the checked-in schema (docs/openapi.yaml) is one file."""

from typing import Any

from rest_framework import serializers as s


def doc(nl: str, en: str) -> str:
    return f"NL: {nl} — EN: {en}"


def share(nl: str, en: str) -> s.FloatField:
    return s.FloatField(allow_null=True, min_value=0, max_value=1, help_text=doc(nl, en))


def count(nl: str, en: str) -> s.IntegerField:
    return s.IntegerField(allow_null=True, min_value=0, help_text=doc(nl, en))


class FiguresMixin(s.Serializer):
    invited = count("Uitgenodigde scholen.", "Schools invited.")
    submitted = count("Scholen die de zelfscan indienden.", "Schools that submitted the scan.")
    scored = count("Scholen met een score.", "Schools with a score.")
    meeting = count("Scholen die de drempel halen.", "Schools meeting the threshold.")
    sufficient = count("Antwoorden 'voldoende of hoger'.", "Answers 'sufficient or better'.")
    answered = count("Beantwoorde stellingen (zonder n.v.t.).", "Answered statements (no n/a).")
    nvt = count("Antwoorden 'niet van toepassing'.", "Answers 'not applicable'.")
    share_sufficient = share(
        "Aandeel voldoende: voldoende / beantwoord (0–1).",
        "Share sufficient: sufficient / answered (0–1).",
    )
    share_meeting = share(
        "Aandeel scholen dat de drempel haalt (0–1).", "Share of schools meeting the threshold."
    )
    response_rate = share("Respons: ingediend / uitgenodigd.", "Response: submitted / invited.")
    mean_share = share("Gemiddeld aandeel van de scholen.", "Mean share of the schools.")
    median_share = share("Mediaan aandeel van de scholen.", "Median share of the schools.")
    min_share = share("Laagste aandeel van een school.", "Lowest share of a school.")
    max_share = share("Hoogste aandeel van een school.", "Highest share of a school.")


FIGURE_FIELDS = [
    "invited",
    "submitted",
    "scored",
    "meeting",
    "sufficient",
    "answered",
    "nvt",
    "share_sufficient",
    "share_meeting",
    "response_rate",
    "mean_share",
    "median_share",
    "min_share",
    "max_share",
]


def figures(row: Any) -> dict[str, Any]:
    """The figures of an AggregateRow, or all None (no row, or suppressed)."""
    if row is None:
        return dict.fromkeys(FIGURE_FIELDS)
    return {
        "invited": row.invited,
        "submitted": row.submitted,
        "scored": row.scored,
        "meeting": row.meeting,
        "sufficient": row.sufficient,
        "answered": row.answered,
        "nvt": row.nvt,
        "share_sufficient": row.pooled_share,
        "share_meeting": row.share_meeting,
        "response_rate": row.response_rate,
        "mean_share": row.mean_share,
        "median_share": row.median_share,
        "min_share": row.min_share,
        "max_share": row.max_share,
    }


class SuppressedMixin(s.Serializer):
    suppressed = s.BooleanField(
        help_text=doc(
            "Niet getoond: kleine groep die u niet helemaal mag zien (cijfers leeg).",
            "Withheld: a small group you may not see in full (figures empty).",
        )
    )
    suppressed_reason = s.CharField(
        allow_blank=True, help_text=doc("Waarom niet getoond.", "Why it is withheld.")
    )


class RoundSerializer(s.Serializer):
    id = s.IntegerField(help_text=doc("Nummer van de meetronde.", "Round id."))
    name = s.CharField(help_text=doc("Naam.", "Name."))
    status = s.CharField(
        help_text=doc(
            "concept, gepland, open, gesloten of gepubliceerd.",
            "concept (draft), gepland (scheduled), open, gesloten (closed), gepubliceerd "
            "(published).",
        )
    )
    opens_on = s.DateField(help_text=doc("Opent op.", "Opens on."))
    closes_on = s.DateField(help_text=doc("Sluit op.", "Closes on."))
    threshold_percent = s.IntegerField(help_text=doc("Drempel (%).", "Threshold (%)."))
    min_group_size = s.IntegerField(
        help_text=doc("Kleinste groep die getoond wordt.", "Smallest group shown.")
    )
    previous_id = s.IntegerField(
        allow_null=True, help_text=doc("Vorige meetronde.", "Previous round.")
    )
    norm_version_po_id = s.IntegerField(allow_null=True, help_text=doc("Normversie PO.", "PO."))
    norm_version_vo_id = s.IntegerField(allow_null=True, help_text=doc("Normversie VO.", "VO."))
    norm_version_sv_id = s.IntegerField(allow_null=True, help_text=doc("Normversie SV.", "SV."))
    schools_invited = s.IntegerField(
        help_text=doc("Scholen in de ronde (die u mag zien).", "Schools in the round (yours).")
    )
    schools_submitted = s.IntegerField(help_text=doc("Daarvan ingediend.", "Of which submitted."))


class NormVersionSerializer(s.Serializer):
    id = s.IntegerField(help_text=doc("Nummer van de normversie.", "Norm version id."))
    norm_key = s.CharField(help_text=doc("Sleutel van de norm.", "Norm key."))
    norm_name = s.CharField(help_text=doc("Naam van de norm.", "Norm name."))
    label = s.CharField(help_text=doc("Versie, bv. 2025.1.", "Version label."))
    title = s.CharField(help_text=doc("Titel.", "Title."))
    status = s.CharField(
        help_text=doc(
            "concept, vastgesteld of vervallen.",
            "concept (draft), vastgesteld (adopted), vervallen (retired).",
        )
    )
    adopted_on = s.DateField(allow_null=True, help_text=doc("Vastgesteld op.", "Adopted on."))
    previous_id = s.IntegerField(
        allow_null=True, help_text=doc("Vorige versie (lijn).", "Previous version (lineage).")
    )
    sectors = s.ListField(child=s.CharField(), help_text=doc("Sectoren.", "Sectors."))


class ScaleLevelSerializer(s.Serializer):
    code = s.CharField(help_text=doc("Code van het antwoord.", "Answer code."))
    label = s.CharField(help_text=doc("Label.", "Label."))
    sufficient = s.BooleanField(help_text=doc("Voldoende of hoger.", "Sufficient or better."))


class StatementSerializer(s.Serializer):
    id = s.IntegerField(help_text=doc("Nummer van de stelling.", "Statement id."))
    code = s.CharField(help_text=doc("Code.", "Code."))
    concept_key = s.CharField(
        help_text=doc("Conceptsleutel (gelijk over versies).", "Concept key (across versions).")
    )
    text = s.CharField(help_text=doc("Stelling.", "Statement text."))
    sectors = s.ListField(child=s.CharField(), help_text=doc("Sectoren.", "Sectors."))
    counts_for_norm = s.BooleanField(help_text=doc("Telt mee voor de norm.", "Counts for norm."))
    nvt_allowed = s.BooleanField(help_text=doc("N.v.t. toegestaan.", "N/a allowed."))
    relation = s.CharField(
        help_text=doc(
            "Relatie met de vorige versie: gelijk, herformuleerd, samengevoegd, gesplitst, "
            "gepromoveerd, nieuw.",
            "Relation to the previous version: same, reworded, merged, split, promoted, new.",
        )
    )
    comparable = s.BooleanField(
        help_text=doc("Vergelijkbaar voor trends.", "Comparable for trends.")
    )
    derived_from = s.ListField(
        child=s.IntegerField(),
        help_text=doc(
            "Stellingen van de vorige versie waar deze uit voortkomt (lijn).",
            "Statements of the previous version this one derives from (lineage).",
        ),
    )


class StatementRowSerializer(s.Serializer):
    norm_version_id = s.IntegerField(help_text=doc("Normversie.", "Norm version."))
    theme_id = s.IntegerField(help_text=doc("Thema.", "Theme."))
    theme_code = s.CharField(help_text=doc("Code van het thema.", "Theme code."))
    id = s.IntegerField(help_text=doc("Nummer van de stelling.", "Statement id."))
    code = s.CharField(help_text=doc("Code.", "Code."))
    concept_key = s.CharField(
        help_text=doc("Conceptsleutel (gelijk over versies).", "Concept key (across versions).")
    )
    text = s.CharField(help_text=doc("Stelling.", "Statement text."))
    sectors = s.CharField(
        allow_blank=True, help_text=doc("Sectoren, met spaties.", "Sectors, space-separated.")
    )
    counts_for_norm = s.BooleanField(help_text=doc("Telt mee voor de norm.", "Counts for norm."))
    nvt_allowed = s.BooleanField(help_text=doc("N.v.t. toegestaan.", "N/a allowed."))
    relation = s.CharField(
        help_text=doc("Relatie met de vorige versie.", "Relation to the previous version.")
    )
    comparable = s.BooleanField(
        help_text=doc("Vergelijkbaar voor trends.", "Comparable for trends.")
    )
    derived_from = s.CharField(
        allow_blank=True,
        help_text=doc(
            "Ids van de stellingen van de vorige versie waar deze uit voortkomt, met spaties.",
            "Ids of the previous version's statements this one derives from, space-separated.",
        ),
    )


class ThemeSerializer(s.Serializer):
    id = s.IntegerField(help_text=doc("Nummer van het thema.", "Theme id."))
    code = s.CharField(help_text=doc("Code.", "Code."))
    title = s.CharField(help_text=doc("Titel.", "Title."))
    order = s.IntegerField(help_text=doc("Volgorde.", "Order."))
    statements = StatementSerializer(many=True)


class NormVersionDetailSerializer(NormVersionSerializer):
    scale = ScaleLevelSerializer(many=True)
    themes = ThemeSerializer(many=True)


class ResultIdentity(s.Serializer):
    round_id = s.IntegerField(help_text=doc("Meetronde.", "Round."))
    level = s.ChoiceField(
        choices=["city", "sector", "stadsdeel", "wijk", "bestuur", "school"],
        help_text=doc(
            "Niveau: city (stad), sector, stadsdeel, wijk, bestuur, school.",
            "Level: city, sector, district (stadsdeel), neighbourhood (wijk), board, school.",
        ),
    )
    group_id = s.CharField(
        help_text=doc(
            "Id van de groep (school-, wijk-, bestuur-id; sectorcode; 'stad').",
            "Group id (school, wijk, bestuur id; sector code; 'stad').",
        )
    )
    group_name = s.CharField(allow_blank=True, help_text=doc("Naam van de groep.", "Group name."))
    theme_id = s.IntegerField(
        allow_null=True, help_text=doc("Thema; leeg = de hele norm.", "Theme; empty = whole norm.")
    )
    theme_code = s.CharField(allow_blank=True, help_text=doc("Code van het thema.", "Theme code."))


class ResultRowSerializer(ResultIdentity, FiguresMixin, SuppressedMixin):
    pass


class GroupName(s.Serializer):
    name = s.CharField(allow_blank=True, help_text=doc("Naam van de groep.", "Group name."))


class GroupFiguresSerializer(GroupName, FiguresMixin, SuppressedMixin):
    pass


class SchoolThemeSerializer(s.Serializer):
    theme_id = s.IntegerField(help_text=doc("Thema.", "Theme."))
    theme_code = s.CharField(help_text=doc("Code van het thema.", "Theme code."))
    theme_title = s.CharField(help_text=doc("Titel van het thema.", "Theme title."))
    meets_threshold = s.BooleanField(
        allow_null=True,
        help_text=doc("Haalt de drempel (leeg: n.v.t.).", "Meets the threshold (empty: n/a)."),
    )
    school = GroupFiguresSerializer()
    city = GroupFiguresSerializer()


class SchoolResultsSerializer(s.Serializer):
    round_id = s.IntegerField(help_text=doc("Meetronde.", "Round."))
    school_id = s.IntegerField(help_text=doc("School.", "School."))
    school_name = s.CharField(help_text=doc("Naam van de school.", "School name."))
    submitted = s.BooleanField(help_text=doc("Zelfscan ingediend.", "Scan submitted."))
    threshold_percent = s.IntegerField(help_text=doc("Drempel (%).", "Threshold (%)."))
    norm = GroupFiguresSerializer()
    city = GroupFiguresSerializer()
    themes = SchoolThemeSerializer(many=True)


class BoardSchoolIdentity(s.Serializer):
    school_id = s.IntegerField(help_text=doc("School.", "School."))
    school_name = s.CharField(help_text=doc("Naam van de school.", "School name."))
    vestigingscode = s.CharField(help_text=doc("Vestigingscode (BRIN).", "Location code."))
    sector = s.CharField(help_text=doc("Sector.", "Sector."))


class BoardSchoolSerializer(BoardSchoolIdentity, FiguresMixin):
    pass


class BoardThemeSerializer(s.Serializer):
    theme_id = s.IntegerField(help_text=doc("Thema.", "Theme."))
    theme_code = s.CharField(help_text=doc("Code van het thema.", "Theme code."))
    bestuur = GroupFiguresSerializer()
    city = GroupFiguresSerializer()


class BoardResultsSerializer(s.Serializer):
    round_id = s.IntegerField(help_text=doc("Meetronde.", "Round."))
    bestuur_id = s.IntegerField(help_text=doc("Bestuur.", "Board."))
    bestuur_name = s.CharField(help_text=doc("Naam van het bestuur.", "Board name."))
    threshold_percent = s.IntegerField(help_text=doc("Drempel (%).", "Threshold (%)."))
    bestuur = GroupFiguresSerializer()
    city = GroupFiguresSerializer()
    schools = BoardSchoolSerializer(many=True)
    themes = BoardThemeSerializer(many=True)


class ProgressRowSerializer(s.Serializer):
    round_id = s.IntegerField(help_text=doc("Meetronde.", "Round."))
    school_id = s.IntegerField(help_text=doc("School.", "School."))
    school_name = s.CharField(help_text=doc("Naam van de school.", "School name."))
    vestigingscode = s.CharField(help_text=doc("Vestigingscode (BRIN).", "Location code."))
    sector = s.CharField(help_text=doc("Sector.", "Sector."))
    bestuur_id = s.IntegerField(help_text=doc("Bestuur.", "Board."))
    wijk_id = s.IntegerField(allow_null=True, help_text=doc("Wijk.", "Neighbourhood."))
    status = s.CharField(
        help_text=doc(
            "niet_gestart, bezig of ingediend.",
            "niet_gestart (not started), bezig (in progress), ingediend (submitted).",
        )
    )
    answered = s.IntegerField(help_text=doc("Beantwoorde stellingen.", "Statements answered."))
    total = s.IntegerField(help_text=doc("Stellingen in de scan.", "Statements in the scan."))
    percent = s.IntegerField(help_text=doc("Percentage beantwoord.", "Percent answered."))
    last_activity_at = s.DateTimeField(
        allow_null=True, help_text=doc("Laatste activiteit.", "Last activity.")
    )
    submitted_at = s.DateTimeField(allow_null=True, help_text=doc("Ingediend op.", "Submitted."))


class SurveySerializer(s.Serializer):
    id = s.IntegerField(help_text=doc("Nummer van de vragenlijst.", "Survey id."))
    title = s.CharField(help_text=doc("Titel.", "Title."))
    opens_at = s.DateTimeField(allow_null=True, help_text=doc("Open vanaf.", "Opens at."))
    closes_at = s.DateTimeField(allow_null=True, help_text=doc("Gesloten vanaf.", "Closes at."))
    respondents = s.IntegerField(help_text=doc("Aantal respondenten.", "Respondents."))


class CountSerializer(s.Serializer):
    label = s.CharField(allow_blank=True, help_text=doc("Antwoord.", "Answer."))
    count = s.IntegerField(help_text=doc("Aantal.", "Count."))
    percent = s.FloatField(help_text=doc("Percentage van de respondenten.", "Percent."))


class QuestionSummarySerializer(s.Serializer):
    key = s.CharField(help_text=doc("Sleutel van de vraag.", "Question key."))
    text = s.CharField(help_text=doc("Vraag.", "Question."))
    kind = s.CharField(help_text=doc("Soort vraag.", "Question kind."))
    respondents = s.IntegerField(help_text=doc("Respondenten.", "Respondents."))
    answered = s.IntegerField(help_text=doc("Beantwoord.", "Answered."))
    blanks = s.IntegerField(help_text=doc("Leeg gelaten.", "Left blank."))
    counts = CountSerializer(many=True)
    mean = s.FloatField(allow_null=True, help_text=doc("Gemiddelde.", "Mean."))
    median = s.FloatField(allow_null=True, help_text=doc("Mediaan.", "Median."))
    minimum = s.FloatField(allow_null=True, help_text=doc("Laagste.", "Minimum."))
    maximum = s.FloatField(allow_null=True, help_text=doc("Hoogste.", "Maximum."))
    categories = CountSerializer(many=True)


class SurveySummarySerializer(SurveySerializer):
    questions = QuestionSummarySerializer(many=True)
