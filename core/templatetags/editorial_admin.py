"""Template tags for the admin: the editorial dashboard on the index page, and the sidebar's
groups (see ``core.admin.navigation``)."""

from django import template

from core import workflow
from core.admin.dashboard import editorial_dashboard
from core.admin.navigation import grouped

register = template.Library()


@register.simple_tag(takes_context=True)
def editorial_columns(context) -> dict:
    """Awaiting review, scheduled, recently published, my drafts and my open comments."""
    request = context.get("request")
    if request is None or not request.user.is_staff:
        return {}
    return editorial_dashboard(request)


@register.simple_tag(takes_context=True)
def user_is_editor(context) -> bool:
    """Whether the signed-in user is an editor (the reports only editors see are linked)."""
    request = context.get("request")
    return request is not None and workflow.is_editor(request.user)


@register.simple_tag
def navigation_groups(app_list) -> list[dict]:
    """The admin's ``app_list`` grouped by what editors do (Programme, Journal, ...)."""
    return grouped(app_list or [])
