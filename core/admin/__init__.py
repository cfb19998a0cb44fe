"""The editors' admin, one module per concern; content apps build their admins on it.

- ``publishable``: ``PublishableAdmin``, assembled from the mixins below.
- ``roles``: editors and contributors; ``actions``: bulk workflow actions.
- ``conflicts``: the edit-conflict check; ``history``: revisions, revert, compare.
- ``timezones``: local times; ``inlines``: inline rows; ``lists``: columns and filters.
- ``dashboard``: the editorial dashboard; ``audit``: the admin log; ``partners``: API keys;
  ``webhooks``: partners' webhook endpoints and delivery logs.
- ``reviews``: review comments, edit locks and presence on change forms.
- ``redirects``: old addresses and where they lead; *Replace with…* on archive and delete.
- ``menus``: the main menu and footer links; ``reports``: the editors' reports (inventory,
  aging content, scheduled timeline, broken links) and ``search``'s search across all types.
- ``pending``: pending versions of live items (save, review, preview, publish, schedule).
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
from core.admin import audit, library, menus, partners, pending, redirects, webhooks  # noqa: F401
