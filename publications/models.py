"""The journal, its collections and articles, and the organisation's news posts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from core.library import Illustrated, LibraryDocumentField
from core.paths import path_for
from core.publishing import Publishable, PublishableQuerySet, VisibleQuerySet
from core.richtext import RichTextField
from core.validators import DOI_RE, ISSN_RE, validate_doi, validate_issn
from events.models import Event, Organisation, Person, Session, Topic, Track
from initiatives.models import Initiative


class Licence(models.TextChoices):
    CC_BY_4 = "CC-BY-4.0", "CC BY 4.0"
    CC_BY_SA_4 = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    CC_BY_NC_4 = "CC-BY-NC-4.0", "CC BY-NC 4.0"
    CC_BY_NC_SA_4 = "CC-BY-NC-SA-4.0", "CC BY-NC-SA 4.0"
    CC_BY_NC_ND_4 = "CC-BY-NC-ND-4.0", "CC BY-NC-ND 4.0"
    CC0 = "CC0-1.0", "CC0 1.0"


LICENCE_URLS = {
    Licence.CC_BY_4: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA_4: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC_4: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_NC_SA_4: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Licence.CC_BY_NC_ND_4: "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


class Journal(Publishable):
    """The journal; while it is not published, neither are its collections and articles."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    issn = models.CharField(
        "ISSN", max_length=9, blank=True, validators=[validate_issn], help_text="Print ISSN."
    )
    eissn = models.CharField(
        "eISSN", max_length=9, blank=True, validators=[validate_issn], help_text="Online ISSN."
    )
    publisher = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="journals"
    )
    first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    description = RichTextField(blank=True)
    website = models.URLField(blank=True)
    default_licence = models.CharField(
        max_length=20, choices=Licence.choices, default=Licence.CC_BY_4
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(issn="") | Q(issn__regex=ISSN_RE),
                name="journal_issn_format",
                violation_error_message="An ISSN is written 2632-3249.",
            ),
            models.CheckConstraint(
                condition=Q(eissn="") | Q(eissn__regex=ISSN_RE),
                name="journal_eissn_format",
                violation_error_message="An ISSN is written 2632-3249.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InJournalQuerySet(PublishableQuerySet):
    """Collections and articles are public only when their journal is published too."""

    published_with = ("journal",)


class Collection(Publishable):
    """A special collection of articles, often from a conference track."""

    journal = models.ForeignKey(Journal, on_delete=models.CASCADE, related_name="collections")
    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=200, unique=True)
    description = RichTextField(blank=True)
    track = models.ForeignKey(
        Track,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collections",
        help_text="The conference track the collection comes from, if any.",
    )
    editors = models.ManyToManyField(Person, blank=True, related_name="edited_collections")

    objects = InJournalQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return path_for("collection-detail", slug=self.slug)


class Article(Publishable):
    class ArticleType(models.TextChoices):
        RESEARCH = "research", "Research article"
        REVIEW = "review", "Review article"
        COMMENTARY = "commentary", "Commentary"
        TRANSLATIONAL = "translational", "Translational article"
        DATA_PAPER = "data_paper", "Data paper"
        EDITORIAL = "editorial", "Editorial"

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="articles")
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    article_type = models.CharField(
        "type", max_length=16, choices=ArticleType.choices, default=ArticleType.RESEARCH
    )
    abstract = RichTextField(blank=True)
    plain_language_summary = models.TextField(blank=True)
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[validate_doi],
        help_text="e.g. 10.1017/dap.2024.1, without https://doi.org/",
    )
    volume = models.CharField(max_length=20, blank=True)
    issue = models.CharField(max_length=20, blank=True)
    pages = models.CharField(max_length=30, blank=True, help_text="e.g. 12–30, or e12")
    published_on = models.DateField("date of publication", null=True, blank=True)
    licence = models.CharField(max_length=20, choices=Licence.choices, default=Licence.CC_BY_4)
    pdf = LibraryDocumentField(
        verbose_name="PDF", help_text="Chosen from the media library: type to search."
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    collections = models.ManyToManyField(Collection, blank=True, related_name="articles")
    authors = models.ManyToManyField(
        Person, through="ArticleAuthor", related_name="articles", blank=True
    )
    related_initiatives = models.ManyToManyField(Initiative, blank=True, related_name="articles")
    related_events = models.ManyToManyField(Event, blank=True, related_name="articles")
    related_sessions = models.ManyToManyField(Session, blank=True, related_name="articles")

    objects = InJournalQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(doi="") | Q(doi__regex=DOI_RE),
                name="article_doi_format",
                violation_error_message="A DOI is written 10.1017/dap.2024.1.",
            ),
            models.UniqueConstraint(
                fields=["doi"],
                condition=~Q(doi=""),
                name="article_doi_unique",
                violation_error_message="Another article has this DOI.",
            ),
        ]
        indexes = [
            # The journal list, the home page, the API and the admin:
            # ORDER BY published_on DESC, title.
            models.Index(fields=["-published_on", "title"], name="article_newest_idx"),
            # The journal list and the API filtered by type: WHERE article_type = ?
            # ORDER BY published_on DESC.
            models.Index(fields=["article_type", "-published_on"], name="article_type_date_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return path_for("article-detail", slug=self.slug)

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")


class ArticleAuthorQuerySet(VisibleQuerySet):
    published_with = ("article", "person")


class ArticleAuthor(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="authorships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="authorships")
    affiliation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authorships",
        help_text="Affiliation at the time of writing.",
    )
    affiliation_text = models.CharField(
        max_length=250, blank=True, help_text="As printed, when no organisation record fits."
    )
    is_corresponding = models.BooleanField("corresponding author", default=False)
    order = models.PositiveSmallIntegerField(default=0)

    objects = ArticleAuthorQuerySet.as_manager()

    class Meta:
        ordering = ["article", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "person"], name="author_once_per_article")
        ]

    def __str__(self) -> str:
        return str(self.person)


class NewsPost(Illustrated, Publishable):
    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=200, unique=True)
    standfirst = models.TextField(help_text="The opening summary shown in lists and previews.")
    body = RichTextField()
    dateline = models.CharField(max_length=120, blank=True, help_text="e.g. “Paris, France”.")
    authors = models.ManyToManyField(Person, blank=True, related_name="news_posts")
    topics = models.ManyToManyField(Topic, blank=True, related_name="news_posts")
    related_events = models.ManyToManyField(Event, blank=True, related_name="news_posts")
    related_sessions = models.ManyToManyField(Session, blank=True, related_name="news_posts")
    related_initiatives = models.ManyToManyField(Initiative, blank=True, related_name="news_posts")
    related_articles = models.ManyToManyField(Article, blank=True, related_name="news_posts")
    related_people = models.ManyToManyField(Person, blank=True, related_name="news_mentions")
    related_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="news_mentions"
    )

    class Meta:
        ordering = ["-publish_at", "title"]
        verbose_name = "news post"
        indexes = [
            # The home page's news and the news list: WHERE status = 'published' AND
            # publish_at <= now ... ORDER BY publish_at DESC, title LIMIT n, read newest first
            # from the index and stopped after n rows, instead of sorting every post.
            models.Index(
                fields=["-publish_at", "title"],
                condition=Q(status="published"),
                name="newspost_public_newest_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return path_for("news-detail", slug=self.slug)

    def clean(self) -> None:
        super().clean()
        if not self.body.strip():
            raise ValidationError({"body": "A news post needs a body."})
