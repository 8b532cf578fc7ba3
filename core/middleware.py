"""Refuse oversized request bodies before anything reads them."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    """A JSON or form body over REQUEST_BODY_MAX_BYTES (1 MB) is refused with 413
    before parsing; multipart uploads (report photos) get UPLOAD_BODY_MAX_BYTES.
    DRF reads the request stream itself, bypassing DATA_UPLOAD_MAX_MEMORY_SIZE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": _("The Content-Length header is not a number.")}, status=400)
        is_upload = request.content_type == "multipart/form-data"
        limit = settings.UPLOAD_BODY_MAX_BYTES if is_upload else settings.REQUEST_BODY_MAX_BYTES
        if length > limit:
            message = _("The request body is too large (at most %(size)d KB).") % {"size": limit // 1024}
            return JsonResponse({"detail": message}, status=413)
        return self.get_response(request)
