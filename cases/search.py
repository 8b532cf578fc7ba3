"""Search and likeness over Arabic-normalised text.

Both cases and reports keep `search_text`, the output of `normalize_arabic`
(alef forms unified, ta marbuta and alef maqsura folded, diacritics and tatweel
dropped). On PostgreSQL, search uses full-text matching plus pg_trgm word
similarity (so a misspelt word still finds its case) and likeness uses trigram
similarity; on SQLite every word must appear (icontains) and likeness is word
overlap.
"""

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Exists, F, Q, QuerySet, Value

from core.text import normalize_arabic

SEARCH_SIMILARITY = 0.45
LIKENESS = 0.3


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def search_text(*parts: str) -> str:
    return normalize_arabic(" ".join(p for p in parts if p))


def is_query(q: str) -> bool:
    return bool(normalize_arabic(q or ""))


def _matching(queryset: QuerySet, text: str) -> QuerySet:
    """Rows whose text holds the query, through operators the planner answers from the
    GIN indexes: `search_text %> query` (pg_trgm word similarity of at least
    SEARCH_SIMILARITY, set per connection by `trigram_thresholds`) on `case_search_trgm`, or
    full-text `@@` on `case_search_fts` (the index is built on this exact expression)."""
    return queryset.annotate(search_vector=SearchVector("search_text", config="simple")).filter(
        Q(search_vector=SearchQuery(text, config="simple", search_type="websearch"))
        | Q(TrigramWordSimilar(F("search_text"), Value(text)))
    )


def search_filter(queryset: QuerySet, q: str) -> QuerySet:
    text = normalize_arabic(q or "")
    if not text:
        return queryset
    if _is_postgres():
        return _matching(queryset, text)
    condition = Q()
    for word in text.split():
        condition &= Q(search_text__icontains=word)
    return queryset.filter(condition)


def search_ranked(queryset: QuerySet, q: str, *, candidates: int) -> QuerySet:
    """The matching rows of `queryset` annotated with `search_rank`: on PostgreSQL at most
    `candidates` of them, taken from the indexes, then ranked by word similarity (an exact
    word scores 1); elsewhere every match, ranked alike. A search matching more than
    `candidates` rows shows that many: the ones found first, ranked."""
    text = normalize_arabic(q or "")
    if not _is_postgres():
        return search_filter(queryset, q).annotate(search_rank=Value(1.0))
    found = _matching(queryset, text).order_by().values("pk")[:candidates]
    return queryset.filter(pk__in=found).annotate(search_rank=TrigramWordSimilarity(text, "search_text"))


def trigram_thresholds(sender, connection, **kwargs) -> None:
    """Connected to `connection_created`: pg_trgm's `%>` and `%` operators compare with
    these session settings, which must equal the thresholds the search used to compute."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SET pg_trgm.word_similarity_threshold = {float(SEARCH_SIMILARITY)}; "
                f"SET pg_trgm.similarity_threshold = {float(LIKENESS)}"
            )


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
