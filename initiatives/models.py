"""Public AI-policy initiatives: programmes, funds, foundations, declarations, partnerships,
reports and standards, with who leads them, what they cost and who signed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django_countries.fields import CountryField

from core.paths import path_for
from core.publishing import Publishable, VisibleQuerySet
from core.richtext import RichTextField
from core.validators import CURRENCY_RE, validate_currency
from events.models import Event, Organisation, Person, Session, Topic, country_code


class Initiative(Publishable):
    class Kind(models.TextChoices):
        INVESTMENT = "investment", "Investment programme"
        FUND = "fund", "Fund"
        FOUNDATION = "foundation", "Foundation"
        DECLARATION = "declaration", "Declaration or statement"
        PARTNERSHIP = "partnership", "Partnership"
        REPORT = "report", "Report"
        STANDARD = "standard", "Standard"
        GUIDANCE = "guidance", "Guidance or playbook"
        PROJECT = "project", "Model or research project"
        PROGRAMME = "programme", "Growth zone or policy programme"
        TOOLS = "tools", "Open tools initiative"
        OTHER = "other", "Other"

    class InitiativeStatus(models.TextChoices):
        ANNOUNCED = "announced", "Announced"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        PUBLISHED = "published", "Published (document)"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class AmountQualifier(models.TextChoices):
        EXACT = "exact", "exactly"
        APPROXIMATELY = "approximately", "approximately"
        UP_TO = "up_to", "up to"
        AT_LEAST = "at_least", "at least"
        INITIAL = "initial", "initially"

    title = models.CharField(max_length=250)
    short_title = models.CharField(max_length=80, blank=True, help_text="e.g. “ROOST”.")
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.TextField(blank=True, help_text="One or two plain sentences for lists.")
    description = RichTextField(blank=True)
    initiative_status = models.CharField(
        "initiative status",
        max_length=12,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.ANNOUNCED,
    )
    announced_on = models.DateField(null=True, blank=True)
    announced_at = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives_announced",
        help_text="The event where it was announced or launched.",
    )
    announced_in = models.ForeignKey(
        Session,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives_announced",
        verbose_name="announced in session",
    )
    part_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="components",
        help_text="The larger initiative this one belongs to (a fund within a programme).",
    )
    lead_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="led_initiatives"
    )
    partner_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="partner_initiatives"
    )
    people = models.ManyToManyField(
        Person,
        blank=True,
        related_name="initiatives",
        help_text="People who lead, chair or announced it.",
    )
    jurisdictions = CountryField(
        multiple=True, blank=True, help_text="Countries it covers, and the EU where it applies."
    )
    amount = models.DecimalField(
        max_digits=18, decimal_places=2, null=True, blank=True, help_text="In the currency below."
    )
    currency = models.CharField(
        max_length=3,
        blank=True,
        validators=[validate_currency],
        help_text="ISO 4217 code: EUR, USD, GBP…",
    )
    amount_qualifier = models.CharField(
        max_length=14, choices=AmountQualifier.choices, default=AmountQualifier.EXACT
    )
    amount_note = models.CharField(
        max_length=200, blank=True, help_text="Where the money comes from, e.g. “private sector”."
    )
    reported_signatory_count = models.PositiveIntegerField(
        "reported number of signatories",
        null=True,
        blank=True,
        help_text="As reported; the named signatories below may be fewer.",
    )
    builds_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="built_upon_by"
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="initiatives")
    related_sessions = models.ManyToManyField(
        Session,
        blank=True,
        related_name="related_initiatives",
        help_text="Sessions that discussed this initiative (not only the one it was announced in).",
    )
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["-announced_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="initiative_amount_not_negative",
                violation_error_message="An amount cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(currency__regex=CURRENCY_RE),
                name="initiative_amount_has_currency",
                violation_error_message="An amount needs its ISO 4217 currency.",
            ),
            models.CheckConstraint(
                condition=~Q(part_of=models.F("id")), name="initiative_not_part_of_itself"
            ),
        ]
        indexes = [
            # The tracker: WHERE kind = ? ORDER BY announced_on DESC.
            models.Index(fields=["kind", "-announced_on"], name="initiative_kind_date_idx"),
            # The tracker unfiltered, the API, the admin and the home page's featured ones
            # (WHERE amount IS NOT NULL): ORDER BY announced_on DESC, title.
            models.Index(fields=["-announced_on", "title"], name="initiative_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return path_for("initiative-detail", slug=self.slug)

    @property
    def display_title(self) -> str:
        return self.short_title or self.title

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.amount is not None:
            if self.amount < 0:
                errors["amount"] = "An amount cannot be negative."
            if not self.currency:
                errors["currency"] = "Choose the currency of the amount."
        if self.part_of_id and self.pk and self.part_of_id == self.pk:
            errors["part_of"] = "An initiative cannot be part of itself."
        if errors:
            raise ValidationError(errors)


class SignatoryQuerySet(VisibleQuerySet):
    # A country signatory has no organisation; an organisation's row needs it published.
    published_with = ("initiative", "organisation?")


class Signatory(models.Model):
    """A country or organisation's stance on a declaration or statement."""

    class Stance(models.TextChoices):
        SIGNED = "signed", "Signed"
        DECLINED = "declined", "Declined to sign"
        SUPPORTS = "supports", "Supports"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="signatories")
    country = CountryField(blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="stances"
    )
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.SIGNED)
    date = models.DateField(null=True, blank=True)
    statement = models.TextField(blank=True, help_text="What they said about their stance.")
    statement_by = models.CharField(
        max_length=200, blank=True, help_text="Who said it, e.g. “Prime Minister's spokesperson”."
    )
    statement_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    source_url = models.URLField("source", blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = SignatoryQuerySet.as_manager()

    class Meta:
        ordering = ["initiative", "stance", "order", "country"]
        verbose_name_plural = "signatories"
        constraints = [
            models.CheckConstraint(
                condition=(Q(country="") & Q(organisation__isnull=False))
                | (~Q(country="") & Q(organisation__isnull=True)),
                name="signatory_country_or_organisation",
                violation_error_message="A signatory is either a country or an organisation.",
            ),
            country_code("signatory"),
            models.UniqueConstraint(
                fields=["initiative", "country"],
                condition=~Q(country=""),
                name="signatory_country_once",
                violation_error_message="This country is already listed for this initiative.",
            ),
            models.UniqueConstraint(
                fields=["initiative", "organisation"],
                condition=Q(organisation__isnull=False),
                name="signatory_organisation_once",
                violation_error_message="This organisation is already listed for this initiative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party_name} — {self.get_stance_display()}"

    @property
    def party_name(self) -> str:
        return self.country.name if self.country else str(self.organisation)

    def clean(self) -> None:
        super().clean()
        if bool(self.country) == bool(self.organisation_id):
            raise ValidationError(
                "Choose either a country or an organisation, not both or neither."
            )


class SourceQuerySet(VisibleQuerySet):
    published_with = ("initiative",)


class Source(models.Model):
    """A link that backs up what we say about an initiative."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=250)
    url = models.URLField()
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["initiative", "published_on", "title"]

    def __str__(self) -> str:
        return self.title


class ReferenceRate(models.Model):
    """What one unit of a currency is worth in euros, as editors last set it."""

    currency = models.CharField(
        max_length=3, unique=True, validators=[validate_currency], help_text="ISO 4217 code"
    )
    euros_per_unit = models.DecimalField(max_digits=14, decimal_places=6)
    as_of = models.DateField(help_text="The date of the rate.")
    source = models.CharField(max_length=200, blank=True, help_text="e.g. ECB reference rate.")

    class Meta:
        ordering = ["currency"]
        constraints = [
            models.CheckConstraint(
                condition=Q(euros_per_unit__gt=0),
                name="reference_rate_positive",
                violation_error_message="A rate must be more than zero.",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=CURRENCY_RE), name="reference_rate_currency_code"
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.euros_per_unit} EUR ({self.as_of})"
