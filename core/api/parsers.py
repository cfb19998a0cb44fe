"""The API's JSON parser: DRF's, with a limit on nesting depth (``API_MAX_JSON_DEPTH``).

Kept apart from the error helpers: DRF imports parsers while it reads its settings.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def depth_exceeds(data: object, limit: int) -> bool:
    """True if ``data`` nests lists and objects more than ``limit`` deep (walked without
    recursion, so the check itself cannot run out of stack)."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class DepthLimitedJSONParser(JSONParser):
    """DRF's JSON parser, refusing bodies nested deeper than ``API_MAX_JSON_DEPTH``."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_JSON_DEPTH
        message = (
            f"The JSON body is nested too deeply: at most {limit} levels of lists and objects."
        )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(message) from None
        if depth_exceeds(data, limit):
            raise ParseError(message)
        return data
