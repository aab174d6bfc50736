"""Explaining the rule where it is used: what it takes to reach the threshold with a theme's
number of statements, and guidance text that fits the school's score. Plain data in, text out.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from selfscan.results.scoring import meets_threshold

# Norm texts (handreikingen) open with this question; it makes no sense to a school that meets
# the threshold in the theme.
LOW_SCORE_PROMPT = "Scoort uw school hier laag?"


def sufficient_needed(answered: int, threshold: int) -> int:
    """The fewest answers voldoende or higher among `answered` that meet `threshold` percent.

    The same integer rule as scoring (`100 × sufficient ≥ threshold × answered`); with nothing
    answered there is nothing to meet (0).
    """
    for sufficient in range(answered + 1):
        if meets_threshold(sufficient, answered, threshold):
            return sufficient
    return answered  # threshold above 100%: not even all of them; never set by a round


def threshold_rule(answered: int, threshold: int) -> str:
    """One sentence: "Met 5 stellingen: alle 5 voldoende of hoger." and so on."""
    if answered == 0:
        return _("Dit thema heeft geen stellingen die meetellen voor de norm.")
    needed = sufficient_needed(answered, threshold)
    if needed >= answered:
        sentence = ngettext(
            "Met %(n)s stelling: die stelling voldoende of hoger.",
            "Met %(n)s stellingen: alle %(n)s voldoende of hoger.",
            answered,
        ) % {"n": answered}
        if answered > 1:
            sentence += " " + _(
                "Eén stelling met matig of onvoldoende brengt dit thema al onder de drempel."
            )
        return sentence
    allowed = answered - needed
    return ngettext(
        "Met %(n)s stellingen: ten minste %(k)s van de %(n)s voldoende of hoger "
        "(hoogstens %(m)s stelling matig of onvoldoende).",
        "Met %(n)s stellingen: ten minste %(k)s van de %(n)s voldoende of hoger "
        "(hoogstens %(m)s stellingen matig of onvoldoende).",
        allowed,
    ) % {"n": answered, "k": needed, "m": allowed}


def guidance_for(guidance: str, *, below_threshold: bool) -> str:
    """The theme's guidance; without its opening "Scoort uw school hier laag?" unless the
    school is below the threshold in this theme."""
    text = guidance.strip()
    if below_threshold or not text.startswith(LOW_SCORE_PROMPT):
        return text
    return text[len(LOW_SCORE_PROMPT) :].lstrip()
