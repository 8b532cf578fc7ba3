"""Common words: the newest cases holding each, so a search for one reads a page, not a bitmap.

PostgreSQL's GIN full-text index answers a word with a bitmap of every case holding it,
built before the first row is read: for a word in one case in twenty that is 55,000
rows at 1,000,000 cases (14–25 ms), where the list wants the newest 200. So for each
word the planner's statistics find in at least SEARCH_COMMON_WORD_CASES cases,
CommonWordCase keeps the newest SEARCH_COMMON_WORD_HEAD listed (open or in progress)
cases holding it, and every newer one since, and a search of the lists walks them
backwards through their unique index.

- `refresh()` (hourly, Celery beat) finds the common words, fills each twice a refresh
  apart before it is read (a case saved while its word was becoming common is caught by
  the second fill), trims each back to the head, and forgets words gone rare.
- `case_saved(case)` makes the case's rows follow its text and status, in the saving
  transaction (a case that stops being listed loses them; one hidden with its charity
  keeps them, and the search's filters pass it over).
- `newest_ids(...)` gives the search its candidates, or None when the full-text index must
  answer: a word that is not common, a query with operators, or filters that let too few
  of the head through (what lies below the head is not kept).

Nothing here runs on SQLite, where search reads every row anyway.
"""

import re

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection, transaction
from django.db.models import QuerySet

from cases.models import Case, CommonWord, CommonWordCase

_PLAIN_WORD = re.compile(r"[^\W_]+")
# The expression of the full-text index `case_search_fts` (migration 0004), whose
# statistics name the common words and which answers the fills.
_VECTOR = "to_tsvector('simple'::regconfig, COALESCE(search_text, ''::text))"
_INDEX = "case_search_fts"
LISTED = (Case.Status.OPEN.value, Case.Status.IN_PROGRESS.value)
READY_AFTER_FILLS = 2
# A fill walks the table newest first, testing each row, for a word in this share of the
# cases or more (at most head / share rows); below it, reading every match costs less.
WALK_FROM_SHARE = 0.2


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def query_words(text: str) -> list[str]:
    """The words of a normalised query when it is nothing but words (as the index holds
    them: lower case); [] for a query with websearch operators (quotes, `-`, `or`)."""
    words = [word.lower() for word in text.split()]
    if not words or "or" in words or not all(_PLAIN_WORD.fullmatch(word) for word in words):
        return []
    return list(dict.fromkeys(words))


def newest_ids(queryset: QuerySet, text: str, limit: int) -> list[int] | None:
    """Ids of the newest cases of `queryset` (listed cases: open or in progress) holding
    every word of `text`, at most `limit`, read from the head of its least common word;
    None if the index must answer instead."""
    words = query_words(text)
    if not _is_postgres() or not words:
        return None
    common = list(CommonWord.objects.filter(word__in=words, fills__gte=READY_AFTER_FILLS))
    if len(common) < len(words):
        return None
    head = min(common, key=lambda word: (word.cases, word.word))
    rows = queryset.filter(common_words__word=head.word, common_words__case_id__gte=head.floor)
    others = [word for word in words if word != head.word]
    if others:
        vector = SearchVector("search_text", config="simple")
        rows = rows.annotate(search_vector=vector).filter(search_vector=SearchQuery(" ".join(others), config="simple"))
    ids = list(rows.order_by("-common_words__case_id").values_list("pk", flat=True)[:limit])
    if len(ids) < limit and head.floor:
        return None  # the filters passed too few of the head; older matches are not kept
    return ids


def case_saved(case: Case) -> None:
    """The case's rows follow its text and status as saved: called in the transaction that
    saves either, after the save."""
    if not _is_postgres():
        return
    CommonWordCase.objects.filter(case_id=case.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {CommonWordCase._meta.db_table} (word, case_id) "  # noqa: S608 (our table names)
            f"SELECT word.word, c.id FROM {Case._meta.db_table} c JOIN {CommonWord._meta.db_table} word "
            f"ON word.word = ANY(tsvector_to_array({_VECTOR})) AND word.floor <= c.id "
            "WHERE c.id = %s AND c.status IN %s ON CONFLICT DO NOTHING",
            [case.pk, LISTED],
        )


def word_estimates() -> tuple[dict[str, int], float]:
    """Cases holding each of the most common words, from the statistics ANALYZE keeps on
    the full-text index's expression ({} before the first ANALYZE), and the cases in all."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
            "FROM pg_stats s JOIN pg_class c ON c.oid = %s::regclass "
            "WHERE s.tablename = %s AND s.most_common_elems IS NOT NULL",
            [Case._meta.db_table, _INDEX],
        )
        row = cursor.fetchone()
    if row is None:
        return {}, 0
    words, shares, rows = row
    rows = max(rows, 0)
    return {word: round(share * rows) for word, share in zip(words, shares, strict=False)}, rows


def refresh(*, min_cases: int | None = None, head: int | None = None) -> dict:
    """Find, fill, trim and forget common words (see the module). Safe to run twice.
    Returns {"common": words now kept, "filled": words filled, "trimmed": ..., "forgotten": ...}."""
    if not _is_postgres():
        return {}
    min_cases = min_cases or settings.SEARCH_COMMON_WORD_CASES
    head = head or settings.SEARCH_COMMON_WORD_HEAD
    estimates, rows = word_estimates()
    if not estimates:
        return {"common": CommonWord.objects.count(), "filled": [], "trimmed": [], "forgotten": []}  # no ANALYZE yet
    known = {word.word: word for word in CommonWord.objects.all()}
    # Forgotten only below half the bar, so a word near it does not come and go.
    forgotten = [word for word in known if estimates.get(word, 0) < min_cases / 2]
    CommonWordCase.objects.filter(word__in=forgotten).delete()
    CommonWord.objects.filter(word__in=forgotten).delete()
    found = [CommonWord(word=word, cases=n) for word, n in estimates.items() if n >= min_cases and word not in known]
    CommonWord.objects.bulk_create(found, ignore_conflicts=True)  # committed before the first fill reads
    filled, trimmed = [], []
    for word in CommonWord.objects.order_by("word"):
        word.cases = estimates.get(word.word, word.cases)
        if word.fills < READY_AFTER_FILLS:
            _fill(word, head, word.cases / max(rows, 1))
            filled.append(word.word)
        elif _trim(word, head):
            trimmed.append(word.word)
        word.save(update_fields=["cases", "floor", "fills"])
    if filled or trimmed or forgotten:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {CommonWordCase._meta.db_table}")  # so the planner walks a head
    return {"common": CommonWord.objects.count(), "filled": filled, "trimmed": trimmed, "forgotten": forgotten}


def _fill(word: CommonWord, head: int, share: float) -> None:
    """The newest `head` listed cases holding the word: walking the table newest first for a
    word in most cases, else reading every match through the full-text index and sorting."""
    where = f"status IN %s AND {_VECTOR} @@ plainto_tsquery('simple', %s)"
    matching = f"SELECT id FROM {Case._meta.db_table} WHERE {where}"  # noqa: S608 (our table names)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if share >= WALK_FROM_SHARE:
            cursor.execute("SET LOCAL enable_bitmapscan = off")
        else:  # OFFSET 0: the planner would walk the key for this word too, a tsvector a row
            matching = f"SELECT id FROM ({matching} OFFSET 0) AS matches"  # noqa: S608 (our SQL)
        cursor.execute(f"{matching} ORDER BY id DESC LIMIT %s", [LISTED, word.word, head])
        ids = [pk for (pk,) in cursor.fetchall()]
        cursor.execute(
            f"INSERT INTO {CommonWordCase._meta.db_table} (word, case_id) "
            "SELECT %s, unnest(%s::bigint[]) ON CONFLICT DO NOTHING",
            [word.word, ids],
        )
    word.floor = ids[-1] if len(ids) == head else 0
    word.fills += 1


def _trim(word: CommonWord, head: int) -> bool:
    """Back to the newest `head` rows once the word has twice as many."""
    rows = CommonWordCase.objects.filter(word=word.word).order_by("-case_id").values_list("case_id", flat=True)
    if not rows[2 * head : 2 * head + 1]:
        return False
    word.floor = rows[head - 1]
    word.save(update_fields=["floor"])  # readers stop at the new floor before the rows under it go
    CommonWordCase.objects.filter(word=word.word, case_id__lt=word.floor).delete()
    return True
