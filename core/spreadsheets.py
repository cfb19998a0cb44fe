"""Spreadsheets (CSV and XLSX) in and out of the admin, with django-import-export.

A *resource* names the columns of a model's sheet, in order; export writes exactly those
columns and import reads the same ones, so a sheet exported, edited and imported again
round-trips. The rules every sheet keeps:

- **Rows are found by slug**, or by a natural key where a model has no slug of its own (a
  signatory by its declaration and its organisation or country; a session by its event's slug
  and its own), so importing a file twice changes nothing the second time: unchanged rows are
  skipped.
- **Cells are read as the admin form reads them**: relations by slug (several, separated by
  commas), countries by ISO code, choices by value or label, links with https assumed, rich
  text sanitised (``core.richtext``); every row is then validated with the model's
  ``full_clean`` (its ``clean()``, field validators and database constraints), so a row the
  form would refuse is a row error in the preview, never a 500 when saving.
- **Imports go through the workflow**: a new item is made with ``core.workflow.create`` (a
  draft, owned by the importer, kept as a revision and logged), and the ``status`` column is
  exported for information but never written: a different state in it is a row error. An
  import changes only drafts (and rejected items) the importer may edit; a row that would
  change a published, scheduled, archived or in-review item is refused with a row error, so
  nothing public changes without review. Child rows (signatories) follow their parent: they
  are added or changed only while the parent is such a draft.
- Every row written is kept as a revision (django-reversion) and written to the admin log.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import reversion
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_countries import countries
from django_countries.fields import CountryField
from import_export import resources, widgets
from import_export.formats import base_formats
from import_export.instance_loaders import ModelInstanceLoader
from import_export.results import RowResult

from core import workflow
from core.publishing import Publishable
from core.richtext import RichTextField, clean_rich_text
from core.workflow import AUTHOR_EDITABLE_STATES, Status

#: Separator of several values in one cell (slugs, country codes).
SEPARATOR = ","


def _text(value: Any) -> str:
    """A cell as text: numbers from XLSX without a trailing ``.0``, None as empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class XLSX(base_formats.XLSX):
    """Excel workbooks whose text cells stay text: a title that starts with “=” (typed by a
    partner, say) is written as that text, never as a formula the spreadsheet would run."""

    def export_data(self, dataset, **kwargs):
        from openpyxl import Workbook

        workbook = Workbook(write_only=False)
        sheet = workbook.active
        sheet.title = (dataset.title or "Sheet")[:31]
        sheet.append(list(dataset.headers or []))
        for row in dataset:
            sheet.append(list(row))
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"
        stream = io.BytesIO()
        workbook.save(stream)
        return stream.getvalue()


# --- Cells --------------------------------------------------------------------------------


class SlugWidget(widgets.ForeignKeyWidget):
    """A foreign key written as the related item's slug; an unknown slug is a row error."""

    def __init__(self, model: type[models.Model], field: str = "slug", **kwargs):
        super().__init__(model, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        key = _text(value)
        if not key:
            return None
        try:
            return self.get_queryset(key, row, **kwargs).get(**self.get_lookup_kwargs(key, row))
        except self.model.DoesNotExist:
            raise ValueError(
                f"There is no {self.model._meta.verbose_name} with the slug “{key}”."
            ) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, self.field)


class SlugsWidget(widgets.ManyToManyWidget):
    """Several related items, by their slugs separated by commas, kept in a stable order."""

    def __init__(self, model: type[models.Model], field: str = "slug", **kwargs):
        super().__init__(model, separator=SEPARATOR, field=field, **kwargs)

    def keys(self, value) -> list[str]:
        return list(dict.fromkeys(k.strip() for k in _text(value).split(SEPARATOR) if k.strip()))

    def lookup(self, keys: list[str], row) -> dict[str, models.Model]:
        found = self.model._default_manager.filter(**{f"{self.field}__in": keys})
        return {getattr(obj, self.field): obj for obj in found}

    def clean(self, value, row=None, **kwargs):
        keys = self.keys(value)
        if not keys:
            return []
        found = self.lookup(keys, row)
        missing = [key for key in keys if key not in found]
        if missing:
            name = self.model._meta.verbose_name_plural
            raise ValueError(f"There are no {name} with the slugs: {', '.join(missing)}.")
        return [found[key] for key in keys]

    def key_of(self, obj: models.Model) -> str:
        return str(getattr(obj, self.field))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return f"{SEPARATOR} ".join(sorted(self.key_of(item) for item in value.all()))


class ChoiceWidget(widgets.CharWidget):
    """One of a field's choices, by its value or its label (either case)."""

    def __init__(self, field: models.Field, **kwargs):
        self.choices = {str(value): str(label) for value, label in field.flatchoices}
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text or text in self.choices:
            return text
        for key, label in self.choices.items():
            if text.casefold() in (key.casefold(), label.casefold()):
                return key
        raise ValueError(f"“{text}” is not one of: {', '.join(self.choices)}.")


class CountryWidget(widgets.Widget):
    """A country by its ISO 3166-1 two-letter code (or its English name)."""

    def code(self, value) -> str:
        text = _text(value)
        if not text:
            return ""
        code = countries.alpha2(text.upper()) or countries.by_name(text)
        if not code:
            raise ValueError(f"“{text}” is not an ISO 3166-1 country code (such as FR, DE, GB).")
        return code

    def clean(self, value, row=None, **kwargs):
        return self.code(value)

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", value) or ""


class CountriesWidget(CountryWidget):
    """Several countries, by their codes separated by commas."""

    def clean(self, value, row=None, **kwargs):
        codes = [self.code(part) for part in _text(value).split(SEPARATOR) if part.strip()]
        return list(dict.fromkeys(codes))

    def render(self, value, obj=None, **kwargs):
        return f"{SEPARATOR} ".join(getattr(c, "code", c) for c in value or ())


class DayWidget(widgets.DateWidget):
    """A date; a spreadsheet's date-and-time cell (XLSX stores dates so) is its day."""

    def clean(self, value, row=None, **kwargs):
        day = super().clean(value, row, **kwargs)
        return day.date() if isinstance(day, datetime) else day


class TextWidget(widgets.CharWidget):
    """Plain text; a number typed in a spreadsheet cell is read as its digits."""

    def clean(self, value, row=None, **kwargs):
        return _text(value)


class RichTextWidget(widgets.CharWidget):
    """Rich text, sanitised on the way in exactly as the form's editor field sanitises it."""

    def clean(self, value, row=None, **kwargs):
        return clean_rich_text(_text(value))


class URLWidget(widgets.CharWidget):
    """A link, read like the form's field: ``example.org/x`` is taken as https."""

    field = forms.URLField(assume_scheme="https", required=False)

    def clean(self, value, row=None, **kwargs):
        try:
            return self.field.to_python(_text(value))
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from None


class LocalDateTimeWidget(widgets.Widget):
    """A date and time in a zone given by the row (an event's venue), as its form shows it.

    A cell with an offset (ISO 8601) is taken as written; one without is local time.
    """

    FORMAT = "%Y-%m-%d %H:%M"

    def __init__(self, zone_of_row, **kwargs):
        self.zone_of_row = zone_of_row
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime(value.year, value.month, value.day)
        else:
            try:
                moment = parse_datetime(_text(value))
            except ValueError:
                moment = None
            if moment is None:
                raise ValueError(f"“{value}” is not a date and time; write it as 2025-02-10 14:30.")
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=self.zone_of_row(row or {}))
        return moment

    @classmethod
    def local(cls, moment: datetime | None, zone) -> str:
        if moment is None:
            return ""
        moment = timezone.localtime(moment, zone)
        return moment.strftime(cls.FORMAT + (":%S" if moment.second else ""))

    def render(self, value, obj=None, **kwargs):
        return self.local(value, timezone.get_current_timezone())


def cell_widget(field: models.Field) -> widgets.Widget | None:
    """The widget that reads and writes a model field's cell, or None for the library's own."""
    if isinstance(field, CountryField):
        return CountriesWidget() if field.multiple else CountryWidget()
    if isinstance(field, RichTextField):
        return RichTextWidget(allow_blank=True)
    if isinstance(field, models.URLField):
        return URLWidget(allow_blank=True)
    if field.choices:
        return ChoiceWidget(field, allow_blank=True)
    if type(field) is models.DateField:
        return DayWidget()
    if isinstance(field, models.CharField | models.TextField):
        # An empty cell (None in XLSX) is empty text, as in the form.
        return TextWidget(allow_blank=True)
    related = field.related_model
    if field.many_to_one and _has_slug(related):
        return SlugWidget(related)
    if field.many_to_many and _has_slug(related):
        return SlugsWidget(related)
    return None


def _has_slug(model) -> bool:
    return model is not None and any(f.name == "slug" for f in model._meta.fields)


def _comparable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return value


# --- Rows ---------------------------------------------------------------------------------


class NaturalKeyLoader(ModelInstanceLoader):
    """Finds a row's item by the resource's key columns; an unknown key means a new item
    (the row's own validation then says what is wrong with it)."""

    def get_instance(self, row):
        try:
            return super().get_instance(row)
        except ValueError:
            return None


class SpreadsheetResource(resources.ModelResource):
    """The columns of one model's sheet, read and written through the workflow.

    Subclasses list their columns in ``Meta.fields`` (the import and export order), the key
    columns in ``Meta.import_id_fields``, and what an export loads with its rows.
    """

    #: Relations loaded with the rows of an export (its several-item columns are loaded too),
    #: so that it asks the database a fixed number of times whatever the number of rows.
    export_select_related: tuple[str, ...] = ()
    export_prefetch_related: tuple[str, ...] = ()
    #: The item a row belongs to (``"initiative"`` for a signatory): the row is public when
    #: it is, so it may be imported only while the importer may edit it as a draft.
    parent_field: str | None = None

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        instance_loader_class = NaturalKeyLoader

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._m2m: dict[str, list] = {}
        self._changed: list[str] = []

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        # The state is shown, never written: it moves only along the workflow's graph.
        readonly = readonly or field_name == "status"
        widget = cell_widget(django_field)
        if widget is None:
            return super().field_from_django_field(field_name, django_field, readonly)
        concrete = django_field.concrete and not django_field.many_to_many
        return cls.DEFAULT_RESOURCE_FIELD(
            attribute=field_name,
            column_name=field_name,
            widget=widget,
            readonly=readonly,
            default=django_field.default if concrete else models.NOT_PROVIDED,
        )

    # Columns.

    def columns(self) -> list[str]:
        return [field.column_name for field in self.get_export_fields()]

    #: Key columns a sheet may leave out (a signatory is keyed on an organisation *or* a
    #: country): a missing one is read as empty.
    optional_key_columns: tuple[str, ...] = ()

    def required_columns(self) -> list[str]:
        keys = [self.fields[name].column_name for name in self.get_import_id_fields()]
        return [c for c in keys if c not in self.optional_key_columns]

    def before_import(self, dataset, **kwargs):
        headers = [_text(h) for h in dataset.headers or []]
        known = set(self.columns())
        missing = [c for c in self.required_columns() if c not in headers]
        unknown = [h for h in headers if h and h not in known]
        problems = []
        if missing:
            problems.append(f"it has no {', '.join(missing)} column")
        if unknown:
            problems.append(f"these columns are not ours: {', '.join(unknown)}")
        if problems:
            raise ValidationError(
                f"This file's columns do not match the {self._meta.model._meta.verbose_name} "
                f"sheet: {'; '.join(problems)}. The columns are: {', '.join(self.columns())} "
                "(export a sheet from the list to start from one)."
            )
        dataset.headers = headers
        for column in self.optional_key_columns:
            if column not in headers:
                dataset.append_col([""] * len(dataset), header=column)

    # Reading a row.

    def _snapshot(self, instance) -> dict[str, Any]:
        """The values of the item's single-value columns, comparable before and after."""
        if instance.pk is None:
            return {}
        return {
            f.column_name: _comparable(f.get_value(instance))
            for f in self.get_import_fields()
            if not f.readonly and not isinstance(f.widget, widgets.ManyToManyWidget)
        }

    def import_instance(self, instance, row, **kwargs):
        new = instance.pk is None
        before = self._snapshot(instance)
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        self.fill_defaults(instance)
        changed = [] if new else self._changed_columns(instance, row, before)
        # Several-item cells are read now, so that an unknown slug is this row's error.
        self._m2m = {}
        for field in self.get_import_fields():
            if field.readonly or not isinstance(field.widget, widgets.ManyToManyWidget):
                continue
            if field.column_name not in row:
                continue
            try:
                self._m2m[field.attribute] = list(field.clean(row))
            except ValueError as exc:
                errors[field.attribute] = ValidationError(str(exc), code="invalid")
                continue
            if not new and self._m2m_changed(instance, field):
                changed.append(field.column_name)
        changed += self.read_children(instance, row, errors, new=new)
        self._check_status_cell(instance, row, errors)
        if not errors and (new or changed):
            problem = self.refusal(instance, new=new)
            if problem:
                errors[NON_FIELD_ERRORS] = ValidationError(problem, code="not_a_draft")
        self._changed = changed
        if errors:
            raise ValidationError(errors)

    def fill_defaults(self, instance) -> None:
        """Fill in what the model's ``save()`` would derive from the row (a sort name), so
        that a row left empty there compares equal to the item it was exported from."""

    def read_children(self, instance, row, errors: dict, *, new: bool) -> list[str]:
        """Read the columns that hold rows of their own (a session's participants), adding
        their problems to ``errors``; the names of those that change the item."""
        return []

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # Unchanged means what the refusal above judged: the same columns, compared as text.
        if import_validation_errors or original is None or original.pk is None:
            return False
        return not self._changed

    def _changed_columns(self, instance, row, before: dict[str, Any]) -> list[str]:
        after = self._snapshot(instance)
        return [c for c, value in after.items() if c in row and value != before.get(c)]

    def _m2m_changed(self, instance, field) -> bool:
        now = sorted(obj.pk for obj in self._m2m[field.attribute])
        then = sorted(getattr(instance, field.attribute).values_list("pk", flat=True))
        return now != then

    def _check_status_cell(self, instance, row, errors: dict) -> None:
        field = self.fields.get("status")
        if field is None or field.column_name not in row or not _text(row[field.column_name]):
            return
        try:
            state = field.widget.clean(row[field.column_name])
        except ValueError as exc:
            errors["status"] = ValidationError(str(exc), code="invalid")
            return
        current = instance.status if instance.pk else Status.DRAFT
        if state != current:
            errors["status"] = ValidationError(
                f"An import does not change states (this item is {Status(current).label.lower()}"
                f", not {Status(state).label.lower()}): imported items are drafts, sent for "
                "review and published with the workflow's actions on the list.",
                code="forbidden_transition",
            )

    def refusal(self, instance, *, new: bool) -> str | None:
        """Why this row may not be written by ``self.user``, or None.

        An import adds and changes drafts only: a new item becomes a draft of its importer's;
        an existing one must be a draft (or rejected) that the importer may edit. A child row
        is judged on its parent, whose visibility it shares.
        """
        if self.parent_field:
            item = getattr(instance, self.parent_field, None)
            what = f"its {self._meta.model._meta.verbose_name_plural}"
        else:
            item = None if new else instance
            what = "it"
        if item is None or item.pk is None or not isinstance(item, Publishable):
            return None
        label = item._meta.verbose_name
        if item.status not in AUTHOR_EDITABLE_STATES:
            return (
                f"The {label} “{item}” is {item.get_status_display().lower()}: an import changes "
                f"only drafts, so that nothing public changes without review. Return {what} to "
                "draft first, or make this change in its form."
                if not self.parent_field
                else f"The {label} “{item}” is {item.get_status_display().lower()}: an import "
                f"changes {what} only while it is a draft, so that nothing public changes "
                "without review. Return it to draft first, or make this change in its form."
            )
        if not workflow.can_edit(self.user, item):
            return f"The {label} “{item}” is someone else's draft: you may change only your own."
        return None

    # Writing a row.

    def import_row(self, row, instance_loader, **kwargs):
        with reversion.create_revision():
            result = super().import_row(row, instance_loader, **kwargs)
            if result.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
                if getattr(self.user, "pk", None):
                    reversion.set_user(self.user)
                reversion.set_comment(self._message(result.import_type, kwargs.get("file_name")))
        return result

    def _message(self, import_type: str, file_name: str | None) -> str:
        source = f" ({file_name})" if file_name else ""
        if import_type == RowResult.IMPORT_TYPE_NEW:
            return f"Created as draft by a spreadsheet import{source}."
        columns = ", ".join(self._changed) or "nothing"
        return f"Changed by a spreadsheet import{source}: {columns}."

    def save_instance(self, instance, is_create, row, **kwargs):
        self.before_save_instance(instance, row, **kwargs)
        message = self._message(
            RowResult.IMPORT_TYPE_NEW if is_create else RowResult.IMPORT_TYPE_UPDATE,
            kwargs.get("file_name"),
        )
        if is_create and isinstance(instance, Publishable):
            # A draft, owned by the importer, saved as a revision and logged.
            workflow.create(item=instance, by=self.user)
        else:
            instance.save(force_insert=is_create)
            workflow.record_action(item=instance, by=self.user, message=message, addition=is_create)
        if self.parent_field:
            parent = getattr(instance, self.parent_field)
            # An open form of the parent, whose inline rows these are, must not overwrite them.
            type(parent)._base_manager.filter(pk=parent.pk).update(updated_at=timezone.now())
            workflow.record_action(item=parent, by=self.user, message=message)
        self.after_save_instance(instance, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        for attribute, items in self._m2m.items():
            getattr(instance, attribute).set(items)

    # Export.

    def export_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        """``queryset`` (a changelist's, filtered and searched) loaded for an export."""
        if self.export_select_related:
            queryset = queryset.select_related(*self.export_select_related)
        several = [
            field.attribute
            for field in self.get_export_fields()
            if isinstance(field.widget, widgets.ManyToManyWidget)
        ]
        prefetch = [*several, *self.export_prefetch_related]
        return queryset.prefetch_related(*prefetch) if prefetch else queryset
