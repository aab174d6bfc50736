"""Word frequencies of open answers for the presenter's word view: plain functions.

Words are lower-cased runs of letters (accents kept, digits and punctuation dropped); common
Dutch and English function words and words under three letters are left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
STOPWORDS = frozenset(
    """
    aan al alle als alleen altijd andere ben bij daar dan dat de der deze die dit doen door dus
    een eens eigen en er geen geweest haar had heb hebben heeft hem het hier hij hoe hun iets
    ik in is je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of
    om omdat ons ook op over reeds te tegen toch toen tot u uit uw van veel voor want waren was
    wat we wel werd wie wij wil worden wordt zal ze zei zelf zich zij zijn zo zonder zou
    the and for that this with you are was not but have has our your they them their from
    """.split()  # noqa: SIM905 (a block of words reads better than a 130-item list)
)


def word_counts(texts: Iterable[str], *, limit: int = 20) -> list[tuple[str, int]]:
    """The `limit` most frequent words, most frequent first, then alphabetical; a word counts
    once per answer (so one long answer cannot fill the view)."""
    tally: Counter[str] = Counter()
    for text in texts:
        words = {w.lower() for w in WORD.findall(text or "")}
        tally.update(w for w in words if len(w) >= 3 and w not in STOPWORDS)
    ordered = sorted(tally.items(), key=lambda item: (-item[1], item[0]))
    return ordered[:limit]


def word_sizes(counts: list[tuple[str, int]], *, steps: int = 5) -> list[tuple[str, int, int]]:
    """(word, count, size 1..steps) with the size relative to the most frequent word."""
    if not counts:
        return []
    top = counts[0][1]
    return [(word, n, 1 + round((steps - 1) * (n - 1) / max(top - 1, 1))) for word, n in counts]
