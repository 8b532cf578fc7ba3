"""Search and likeness over Arabic-normalised text.

Both cases and reports keep `search_text`, the output of `normalize_arabic`
(alef forms unified, ta marbuta and alef maqsura folded, diacritics and tatweel
dropped). On PostgreSQL, search uses full-text matching plus pg_trgm word
similarity (so a misspelt word still finds its case) and likeness uses trigram
similarity; on SQLite every word must appear (icontains) and likeness is word
overlap.
"""

from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Exists, Q, QuerySet

from core.text import normalize_arabic

SEARCH_SIMILARITY = 0.45
LIKENESS = 0.3


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def search_text(*parts: str) -> str:
    return normalize_arabic(" ".join(p for p in parts if p))


def search_filter(queryset: QuerySet, q: str) -> QuerySet:
    text = normalize_arabic(q or "")
    if not text:
        return queryset
    if _is_postgres():
        return queryset.annotate(
            search_vector=SearchVector("search_text", config="simple"),
            search_similarity=TrigramWordSimilarity(text, "search_text"),
        ).filter(
            Q(search_vector=SearchQuery(text, config="simple", search_type="websearch"))
            | Q(search_similarity__gte=SEARCH_SIMILARITY)
        )
    condition = Q()
    for word in text.split():
        condition &= Q(search_text__icontains=word)
    return queryset.filter(condition)


def _words(text: str) -> set[str]:
    return {w for w in text.split() if len(w) >= 3}


def alike(queryset: QuerySet, text: str, *, limit: int = 5) -> list:
    """Rows of `queryset` whose search_text is like `text`, most alike first."""
    text = normalize_arabic(text)
    if not text:
        return []
    if _is_postgres():
        rows = (
            queryset.annotate(likeness=TrigramSimilarity("search_text", text))
            .filter(likeness__gte=LIKENESS)
            .order_by("-likeness")[:limit]
        )
        return list(rows)
    mine = _words(text)
    scored = []
    for row in queryset.order_by("-id")[:200]:
        theirs = _words(row.search_text)
        if mine and theirs:
            score = len(mine & theirs) / min(len(mine), len(theirs))
            if score >= 0.5:
                row.likeness = score
                scored.append(row)
    return sorted(scored, key=lambda r: -r.likeness)[:limit]


def alike_exists(queryset: QuerySet, outer_text) -> Exists | None:
    """An EXISTS over `queryset` for rows whose text is like the outer row's (PostgreSQL
    only: trigram similarity in SQL). None elsewhere; the review page does the rest."""
    if not _is_postgres():
        return None
    return Exists(
        queryset.annotate(likeness=TrigramSimilarity("search_text", outer_text)).filter(likeness__gte=LIKENESS)
    )
