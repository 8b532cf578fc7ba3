from rest_framework import pagination

from core.paging import CappedPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """`{count, next, previous, results}` as the API contract says; `page_size` up to 100."""

    page_size_query_param = "page_size"
    max_page_size = 100


class CappedPageNumberPagination(PageNumberPagination):
    """The same `{count, next, previous, results}`, for lists that may hold millions of rows:
    `count` is exact up to `PUBLIC_LIST_MAX_RESULTS` (1,000) and never more; `next` stops
    there too, so a client that pages by `next` or by `count` sees one coherent list."""

    django_paginator_class = CappedPaginator

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count"]["description"] = (
            "Matching cases, counted up to PUBLIC_LIST_MAX_RESULTS (1000 by default); more match "
            "when it equals that number: narrow the filters."
        )
        return schema
