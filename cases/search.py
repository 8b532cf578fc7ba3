"""Search and likeness over Arabic-normalised text.

Both cases and reports keep `search_text`, the output of `normalize_arabic`
(alef forms unified, ta marbuta and alef maqsura folded, diacritics and tatweel
dropped). On PostgreSQL, search uses full-text matching plus pg_trgm word
similarity (so a misspelt word still finds its case), both through operators their GIN
indexes answer, and the case list ranks a bounded candidate set (`search_ranked`);
likeness uses trigram similarity. On SQLite every word must appear (icontains) and
likeness is word overlap.
"""

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Case, Exists, F, FloatField, Lookup, Q, QuerySet, Value, When

from cases import common_words
from core.text import normalize_arabic

SEARCH_SIMILARITY = 0.45
LIKENESS = 0.3


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def search_text(*parts: str) -> str:
    return normalize_arabic(" ".join(p for p in parts if p))


def is_query(q: str) -> bool:
    return bool(normalize_arabic(q or ""))


def _full_text(text: str) -> Q:
    """Every word of the query as a whole word (websearch syntax), answered from the GIN
    index `case_search_fts`, built on exactly this expression (migration 0004)."""
    return Q(search_vector=SearchQuery(text, config="simple", search_type="websearch"))


def _similar_words(text: str) -> Q:
    """`search_text %> query`: a part of the text with pg_trgm word similarity of at least
    SEARCH_SIMILARITY (the session setting `trigram_thresholds` makes), answered from the
    GIN trigram index `case_search_trgm`; finds misspellings and words with a prefix
    ("والبطاطين" for "بطاطين")."""
    return Q(TrigramWordSimilar(F("search_text"), Value(text)))


def _matching(queryset: QuerySet, text: str) -> QuerySet:
    return queryset.annotate(search_vector=SearchVector("search_text", config="simple")).filter(
        _full_text(text) | _similar_words(text)
    )


def _ids_from_index(queryset: QuerySet, condition: Q, limit: int, *, newest: bool = False) -> list[int]:
    """At most `limit` ids matching `condition`, read through its GIN index (`newest`: the
    newest, sorted after reading every match). With a LIMIT and a popular word the planner
    prefers to scan the table, or walk its key, in order, not knowing that testing each row
    costs a tsvector and a similarity: at 1,000,000 cases that took 2 s instead of
    milliseconds. So this one statement runs with sequential scans off, and the sort stays
    outside the matching (OFFSET 0 keeps the planner from merging the two)."""
    rows = queryset.annotate(search_vector=SearchVector("search_text", config="simple")).filter(condition)
    try:
        sql, params = rows.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # `.none()`, an unknown region for one
        return []
    order = "ORDER BY 1 DESC" if newest else ""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"SELECT * FROM ({sql} OFFSET 0) AS matches {order} LIMIT %s", [*params, limit])  # noqa: S608 (the ORM's SQL)
        return [pk for (pk,) in cursor.fetchall()]


class _OneOf(Lookup):
    """`id = ANY(%s::bigint[])`, the ids as one array parameter: the same plan as `id IN (…)`
    (the primary key's index) without compiling 200 parameters, three times, on every search."""

    lookup_name = "one_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*params, list(self.rhs)]


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


def search_ranked(queryset: QuerySet, q: str, *, candidates: int, listed: bool = False) -> QuerySet:
    """The matching rows of `queryset` annotated with `search_rank`, best first.

    On PostgreSQL a bounded candidate set comes from the indexes first: the newest
    `candidates` cases holding every word (rank 1; a common word's from its head, see
    cases/common_words.py), then, if that leaves room, cases with similar words (rank = word
    similarity). A word found in more than `candidates` open cases shows its newest that
    many. `listed`: the queryset holds listed cases only (open or in progress), those the
    heads keep. Elsewhere (SQLite) every match, ranked alike."""
    text = normalize_arabic(q or "")
    if not _is_postgres():
        return search_filter(queryset, q).annotate(search_rank=Value(1.0))
    exact = common_words.newest_ids(queryset, text, candidates) if listed else None
    if exact is None:
        exact = _ids_from_index(queryset, _full_text(text), candidates, newest=True)
    similar = []
    if len(exact) < candidates:
        similar = _ids_from_index(queryset, _similar_words(text), candidates)
        similar = [pk for pk in similar if pk not in set(exact)][: candidates - len(exact)]
    rank = Case(
        When(_OneOf(F("pk"), exact), then=Value(1.0)),
        default=TrigramWordSimilarity(text, "search_text"),
        output_field=FloatField(),
    )
    # The ids already passed the caller's filters: the page and its count read them by key.
    return queryset.model.objects.filter(_OneOf(F("pk"), exact + similar)).annotate(search_rank=rank)


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
