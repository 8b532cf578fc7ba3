"""Pagination that never counts a whole table.

Public lists can hold a million rows; `COUNT(*)` over all of them on every request is
what made them slow. `CappedPaginator` counts at most `PUBLIC_LIST_MAX_RESULTS` rows
(one `SELECT COUNT(*) FROM (… LIMIT cap + 1)`, bounded by the cap) and pages through
that many: past it, narrow the filters, as on every large search site. `capped` says
when there are more than `count`.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *args, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.cap = cap if cap is not None else settings.PUBLIC_LIST_MAX_RESULTS

    @cached_property
    def _counted(self) -> int:
        if isinstance(self.object_list, list | tuple):
            return len(self.object_list[: self.cap + 1])
        # Only the keys, no order, no annotations (a search's ranking is not needed to count).
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap
