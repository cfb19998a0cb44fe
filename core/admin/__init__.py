"""The editors' admin, one module per concern; content apps build their admins on it.

- ``publishable``: ``PublishableAdmin``, assembled from the mixins below.
- ``roles``: editors and contributors; ``actions``: bulk workflow actions.
- ``conflicts``: the edit-conflict check; ``history``: revisions, revert, compare.
- ``timezones``: local times; ``inlines``: inline rows; ``lists``: columns and filters.
- ``dashboard``: the editorial dashboard; ``audit``: the admin log; ``partners``: API keys;
  ``webhooks``: partners' webhook endpoints and delivery logs.
- ``redirects``: old addresses and where they lead; *Replace with…* on archive and delete.
- ``library``: the media library (images, documents, tags) and its choosers.
"""

from core.admin.history import EditorialVersionAdmin
from core.admin.inlines import EditorialStackedInline, EditorialTabularInline
from core.admin.lists import PUBLISHING_COLUMNS, PUBLISHING_FILTERS
from core.admin.publishable import PublishableAdmin

__all__ = [
    "PUBLISHING_COLUMNS",
    "PUBLISHING_FILTERS",
    "EditorialStackedInline",
    "EditorialTabularInline",
    "EditorialVersionAdmin",
    "PublishableAdmin",
]

# Register the platform's own admins.
from core.admin import audit, library, partners, redirects, webhooks  # noqa: F401
