"""The JSON parser, with messages a client can act on: a body that is not UTF-8 and a
body that is not JSON are each a translated 400, never a 500."""

import json

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read() if stream is not None else b""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(
                _("The body is not valid UTF-8 (byte %(position)s); send JSON encoded as UTF-8.")
                % {"position": exc.start}
            ) from exc
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except ValueError as exc:
            raise ParseError(_("The body is not valid JSON: %(error)s.") % {"error": exc}) from exc


def _refuse_constant(name: str):
    """NaN and Infinity are not JSON."""
    raise ValueError(_("%(name)s is not a JSON value") % {"name": name})


class MultiPartParser(parsers.MultiPartParser):
    """Only on the operations that upload files (`…/photos/`, `…/logo/`): every other
    body is JSON, so each operation offers a client one content type."""
