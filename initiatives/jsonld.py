"""schema.org JSON-LD for initiative pages, built on the shared pieces in ``events.jsonld``."""

from __future__ import annotations

from core.links import absolute_url
from events.jsonld import CONTEXT, clean_ld, organisation_ref, person_ref

from .models import Initiative


def initiative_ld(initiative: Initiative, *, leads, people) -> dict:
    documents = {
        Initiative.Kind.DECLARATION,
        Initiative.Kind.REPORT,
        Initiative.Kind.STANDARD,
        Initiative.Kind.GUIDANCE,
    }
    kind = "CreativeWork" if initiative.kind in documents else "Project"
    role = "author" if kind == "CreativeWork" else "member"
    return clean_ld(
        {
            "@context": CONTEXT,
            "@type": kind,
            "name": initiative.title,
            "alternateName": initiative.short_title,
            "url": absolute_url(initiative.get_absolute_url()),
            "description": initiative.summary,
            "sameAs": initiative.website,
            "dateCreated": initiative.announced_on.isoformat() if initiative.announced_on else "",
            "funder" if kind == "Project" else "sourceOrganization": [
                organisation_ref(org) for org in leads
            ],
            role: [person_ref(p) for p in people],
        }
    )
