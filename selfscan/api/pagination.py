from rest_framework.pagination import PageNumberPagination

from .serializers import doc


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    # Plain strings (not DRF's translated ones): the checked-in schema is one file.
    page_query_description = doc("Paginanummer (vanaf 1).", "Page number (from 1).")
    page_size_query_description = doc(
        "Rijen per pagina (standaard 100, hoogstens 1000).",
        "Rows per page (default 100, at most 1000).",
    )
