"""The admin's sidebar: which group each registered model is listed under.

One mapping, read on every request from the admin registry (``core.admin.navigation``): a
model registered later is listed under its group once its label is added here; a registered
model missing from it is listed under "Other", never hidden. Within a group, models are
listed in the order they appear here; empty groups are not shown.
"""

#: The groups in the order the sidebar and the dashboard list them.
GROUPS = ("Programme", "Initiatives", "Journal", "News", "Pages", "Media", "Partners", "Settings")

#: Model label (``app_label.ModelName``) -> group.
ADMIN_NAVIGATION = {
    # What happens at the conference, and who and what appears there.
    "events.Event": "Programme",
    "events.Session": "Programme",
    "events.Track": "Programme",
    "events.Recording": "Programme",
    "events.Person": "Programme",
    "events.Organisation": "Programme",
    "events.Topic": "Programme",
    "initiatives.Initiative": "Initiatives",
    "initiatives.Signatory": "Initiatives",
    "initiatives.ReferenceRate": "Initiatives",
    "publications.Journal": "Journal",
    "publications.Collection": "Journal",
    "publications.Article": "Journal",
    "publications.NewsPost": "News",
    # The site's own pages, its menus, and its addresses: old ones and where they lead.
    "sitepages.Page": "Pages",
    "core.Redirect": "Pages",
    "core.MenuItem": "Pages",
    "core.PendingChange": "Pages",
    # The media library: pictures and documents, chosen by every image and document field.
    "core.Image": "Media",
    "core.Document": "Media",
    "core.MediaTag": "Media",
    # Partners of the API: their keys and their webhooks.
    "core.PartnerKey": "Partners",
    "core.WebhookEndpoint": "Partners",
    "core.WebhookDelivery": "Partners",
    # Accounts, sign-in and the machinery behind the site.
    "auth.User": "Settings",
    "auth.Group": "Settings",
    "otp_totp.TOTPDevice": "Settings",
    "otp_static.StaticDevice": "Settings",
    "axes.AccessAttempt": "Settings",
    "axes.AccessFailureLog": "Settings",
    "axes.AccessLog": "Settings",
    "admin.LogEntry": "Settings",
    "django_tasks_database.DBTaskResult": "Settings",
}
