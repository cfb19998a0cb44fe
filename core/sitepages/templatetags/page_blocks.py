"""Rendering a live list's items in the partial of the app that registered the list."""

from django import template
from django.template.loader import get_template

register = template.Library()


@register.simple_tag(takes_context=True)
def listed_item(context, listing, item) -> str:
    """One item of a live-list block, in its listing's partial (``registry.Listing``)."""
    with context.push({listing.as_name: item, "with_authors": True}):
        return get_template(listing.template).template.render(context)
