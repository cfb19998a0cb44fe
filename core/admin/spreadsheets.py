"""Import and export buttons on changelists: CSV and XLSX sheets of the items listed.

Export writes the rows of the list as it is filtered and searched, in the resource's columns
(``core.spreadsheets``); import previews every row, with its errors, before anything is
written, and writes only after the editor confirms. Who may import a model is who may add and
change it (contributors too, for their own drafts: the resource refuses rows that touch
anything else); who may export it is who may see its list.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV
from import_export.forms import ExportForm

from core.spreadsheets import XLSX

EXPIRED = _("The file you previewed is no longer kept, so nothing was imported. Upload it again.")
READ_FAILED = _(
    "This file could not be read as %(format)s. Upload a CSV file (UTF-8) or an Excel "
    "workbook (.xlsx) laid out like an exported sheet, and choose its format."
)


class SpreadsheetMixin(ImportExportMixin):
    """For a ``ModelAdmin`` whose ``resource_classes`` are ``SpreadsheetResource``s."""

    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]
    # Every column, always in the same order: what is exported is what an import reads.
    export_form_class = ExportForm
    import_template_name = "admin/editorial/spreadsheet_import.html"
    # Rows are logged, and kept as revisions, by the resource through the workflow.
    skip_admin_log = True

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request) -> bool:
        return self.has_view_or_change_permission(request)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def get_export_queryset(self, request):
        queryset = super().get_export_queryset(request)
        resource = self.get_export_resource_classes(request)[0](user=request.user)
        return resource.export_queryset(queryset)

    def add_data_read_fail_error_to_form(self, form, e):
        formats = self.get_import_formats()
        try:
            title = formats[int(form.cleaned_data["format"])]().get_title().upper()
        except (KeyError, ValueError, IndexError):
            title = "a spreadsheet"
        form.add_error("import_file", READ_FAILED % {"format": title})

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except (OSError, TypeError, ValueError):
            # The sheet kept since the preview expired or was removed (a second confirmation).
            messages.error(request, EXPIRED)
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*info)))
