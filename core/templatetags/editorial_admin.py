"""Template tags for the admin: the editorial dashboard on the index page."""

from django import template

from core.admin.dashboard import editorial_dashboard

register = template.Library()


@register.simple_tag(takes_context=True)
def editorial_columns(context) -> dict:
    """Awaiting review, scheduled, recently published, my drafts and my open comments."""
    request = context.get("request")
    if request is None or not request.user.is_staff:
        return {}
    return editorial_dashboard(request)
