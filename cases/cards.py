"""Case cards of the public lists (home, the case list and search), each kept as HTML.

A card shows the case (title, story, region, urgency, status, cover, open needs) and its
charity (name, verification): nothing per-person, so every visitor, signed in or not,
shares it. `core.public_cache.fragments` keeps it per language and case under the
versions of "all", `case:<id>` and `charity:<id>`, which the services bump; a list reads
its page's ids and charities, its cards in one MGET, and loads and renders only the
missing ones (one query for their rows, one for their need counts). A charity's profile
shows the same cards (`charities.selectors.charity_public_case_cards`).
"""

from django.db.models import QuerySet
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import mark_safe

from cases import selectors
from cases.models import Case
from core import public_cache

CARD_TEMPLATE = "cases/_case_card.html"
FRAGMENT = "case-card"


def cards_render(cases) -> dict[int, str]:
    """Each case's card (cases carry `need_count`, charity and region loaded)."""
    template, cases_url = get_template(CARD_TEMPLATE), reverse("cases:list")
    return {case.pk: template.render({"case": case, "cases_url": cases_url}) for case in cases}


def _safe(cards: list[str]) -> list[str]:
    return [mark_safe(card) for card in cards]  # noqa: S308 (our own template's output, stored as rendered)


def _build(pks: list[int]) -> dict[int, str]:
    """The missing cards, from public cases only: a case closed meanwhile is left out."""
    cases = Case.objects.filter(selectors.public_filter(), pk__in=pks).select_related("charity", "region")
    return cards_render(selectors.case_cards(cases))


def case_cards_html(cases: QuerySet[Case]) -> list[str]:
    """The cards of a page of `selectors.case_list_public`, in its order. With fragments
    off, the page's rows are read and rendered as they are (no query more)."""
    if not public_cache.fragments_on():
        return _safe(cards_render(selectors.case_cards(cases)).values())
    items = [
        (pk, public_cache.case_card_scopes(pk, charity_id)) for pk, charity_id in cases.values_list("pk", "charity_id")
    ]
    return _safe(public_cache.fragments(FRAGMENT, items, _build))


def case_payloads(rows: list[tuple[int, int | None]], *, serialize, origin: str) -> list[dict]:
    """The API list's cases (`rows`: the page's ids and charity ids, in order) as
    `serialize(case)` gives them, kept per case like the cards (and per `origin`, the
    scheme and host its absolute photo URLs hold): one MGET, then one query for the
    missing cases' rows."""

    def build(pks: list[int]) -> dict[int, dict]:
        cases = Case.objects.filter(selectors.public_filter(), pk__in=pks)
        return {case.pk: dict(serialize(case)) for case in cases.select_related("charity", "region", "activity_type")}

    items = [(pk, public_cache.case_card_scopes(pk, charity_id)) for pk, charity_id in rows]
    return public_cache.fragments(f"case-api:{origin}", items, build)
