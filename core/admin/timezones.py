"""Date/times entered and shown in the zone of the thing they belong to (an event's venue).

Each such field says which zone it is in; the calendar widget's own "You are N hours behind
server time" (which compares the browser with that zone and calls it the server's) is left
out on these forms by ``static/admin-extra/local-time.js``.
"""

from __future__ import annotations

import zoneinfo

from django import forms
from django.utils import timezone

from core.security import add_nonce_to_media


class LocalTimeMixin:
    #: Date/time fields entered in the event's own time zone (see ``get_edit_timezone``).
    local_time_fields: tuple[str, ...] = ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self.local_time_fields:
            zone = getattr(request, "_editorial_timezone", None)
            where = f" ({zone})" if zone else ""
            help_text = f"In the event's own time zone{where}, not the site's."
            kwargs.setdefault("help_texts", {}).update(
                dict.fromkeys(self.local_time_fields, help_text)
            )
        return super().get_form(request, obj, change, **kwargs)

    @property
    def media(self):
        media = super().media
        if self.local_time_fields:
            media += forms.Media(js=["admin-extra/local-time.js"])
        return media

    def get_edit_timezone(self, request, object_id) -> str | None:
        """The IANA zone in which this form's local date/times are shown and entered."""
        return None

    def edit_zone(self, request, object_id) -> zoneinfo.ZoneInfo | None:
        """The zone of ``get_edit_timezone`` (None for the site's), noted on the request."""
        name = self.get_edit_timezone(request, object_id)
        try:
            zone = zoneinfo.ZoneInfo(name) if name else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None
        if zone is not None:
            request._editorial_timezone = name
        return zone

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        zone = self.edit_zone(request, object_id)
        if zone is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with timezone.override(zone):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # Render while the zone is active: widgets localise their values when rendered.
            if hasattr(response, "render") and not response.is_rendered:
                add_nonce_to_media(request, response)  # the editor's inline import map
                response.render()
        return response
