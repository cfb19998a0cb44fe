"""The demo's editorial workflow: a contributor's draft with two revisions to compare, an item in
review with an editor's comment, and an item scheduled for the future.

They are news posts written by the demo's role accounts (``contributor`` and ``editor``, no
invented people) from facts of the seed report, with references to the demo initiatives they
mention. Loading is idempotent: an item is created (and its history written) only when it is
missing, the comment only when the editor has not made it yet, and the scheduled item keeps
its time while that is still ahead.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import reversion
from django.utils import timezone

from core import workflow
from core.comments import Comment, add_comment
from core.publishing import Status
from events.demo import Catalogue
from initiatives.models import Initiative
from publications.demo import link
from publications.models import NewsPost

DRAFT = "uk-ai-playbook-and-ai-growth-zones"
IN_REVIEW = "uk-ai-cyber-security-standard-and-digital-government-review"
SCHEDULED = "data-for-policy-2024-trustworthy-governance-with-ai"
REVIEW_COMMENT = "Please add the source link for the State of Digital Government Review."
LONDON = ZoneInfo("Europe/London")


def _p(*sentences: str) -> str:
    return f"<p>{' '.join(sentences)}</p>"


def _draft_first_body(cat: Catalogue) -> str:
    playbook = link(cat[Initiative, "uk-ai-playbook"], "AI Playbook")
    return _p(
        f"Around the Paris AI Action Summit 2025, the UK Government brought out an {playbook}",
        "to guide the ethical use of AI across public services.",
    )


def _draft_body(cat: Catalogue) -> str:
    zones = link(cat[Initiative, "uk-ai-growth-zones"], "AI Growth Zones")
    return _draft_first_body(cat) + _p(f"Its {zones} are meant to speed up innovation in AI.")


def _next_slot(now: datetime) -> datetime:
    """Next Monday, 09:00 in London, at least a day ahead."""
    day = timezone.localtime(now, LONDON).date() + timedelta(days=1)
    day += timedelta(days=(7 - day.weekday()) % 7)
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=LONDON)


def _tally(cat: Catalogue, outcome: str) -> None:
    cat.tally[NewsPost._meta.verbose_name_plural, outcome] += 1


def load_draft(cat: Catalogue, contributor) -> NewsPost:
    """The contributor's draft, saved twice: its history has two revisions to compare."""
    post = NewsPost.objects.filter(slug=DRAFT).first()
    if post is not None:
        _tally(cat, "unchanged")
        return post
    post = NewsPost(
        slug=DRAFT,
        title="The UK's AI Playbook and AI Growth Zones",
        standfirst="Two UK Government initiatives from around the Paris AI Action Summit 2025.",
        body=_draft_first_body(cat),
    )
    workflow.create(item=post, by=contributor)
    post.body = _draft_body(cat)
    with reversion.create_revision():
        post.full_clean()
        post.save()
        reversion.set_user(contributor)
        reversion.set_comment("Added the AI Growth Zones.")
    workflow.record_action(item=post, by=contributor, message="Added the AI Growth Zones.")
    _tally(cat, "created")
    return post


def load_in_review(cat: Catalogue, contributor, editor) -> NewsPost:
    """Sent for review by the contributor, with the editor's request for a source."""
    post = NewsPost.objects.filter(slug=IN_REVIEW).first()
    if post is None:
        standard = link(cat[Initiative, "uk-ai-cyber-security-standard"], "standard")
        review = link(cat[Initiative, "state-of-digital-government-review"])
        post = NewsPost(
            slug=IN_REVIEW,
            title="The UK's AI cyber security standard and its digital government review",
            standfirst="Two UK publications on keeping AI secure and on the public sector.",
            body=_p(
                f"The UK has set out a {standard} meant to protect AI systems from attack and",
                "to make products built on AI more resilient.",
            )
            + _p(
                f"The {review} finds large potential in the UK's digital public sector, and",
                "says that deep reform is needed.",
            ),
        )
        workflow.create(item=post, by=contributor, state=Status.REVIEW)
        _tally(cat, "created")
    else:
        _tally(cat, "unchanged")
    if not Comment.objects.on(post).filter(author=editor, text=REVIEW_COMMENT).exists():
        add_comment(item=post, by=editor, text=REVIEW_COMMENT, field_name="body")
    return post


def load_scheduled(cat: Catalogue, editor) -> NewsPost:
    """Published by the editor from next Monday on (moved on once that time has passed)."""
    now = timezone.now()
    post = NewsPost.objects.filter(slug=SCHEDULED).first()
    if post is None:
        post = NewsPost(
            slug=SCHEDULED,
            title="Data for Policy 2024: Trustworthy Governance with AI",
            standfirst="What the 2024 conference at Imperial College London discussed.",
            body=_p(
                "The Data for Policy 2024 conference met at Imperial College London under the",
                "theme Trustworthy Governance with AI. Its speakers looked at the challenges of",
                "governing AI, the changing role of generative AI, and why AI for the public",
                "good should come before stories of existential risk.",
            ),
        )
        workflow.create(item=post, by=editor, state=Status.PUBLISHED, at=_next_slot(now))
        _tally(cat, "created")
    elif post.status != Status.PUBLISHED or post.publish_at <= now:
        workflow.move_to(item=post, state=Status.PUBLISHED, by=editor, at=_next_slot(now))
        _tally(cat, "updated")
    else:
        _tally(cat, "unchanged")
    return post


def load(cat: Catalogue, *, contributor) -> None:
    load_draft(cat, contributor)
    load_in_review(cat, contributor, cat.editor)
    load_scheduled(cat, cat.editor)
