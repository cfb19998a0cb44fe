"""After the traffic: every accepted write is in the database and served by the other server.

A write counts as accepted when its client saw success: a 201 for a partner submission, a
redirect after an admin save. Each is looked up in the database and read back through an app
server other than the one that accepted it (through the API for submissions, through the
admin's change form for saves), which is what a load balancer sending the next request
elsewhere relies on.
"""

from __future__ import annotations

import requests
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from reversion.models import Version

from events.models import Session

from .forms import field_value, form_fields
from .traffic import FORWARDED, NO_KEEPALIVE, AcceptedSubmission, EditTarget, sign_in


def _other(servers: list[str], server: str) -> str:
    others = [s for s in servers if s != server]
    return others[0] if others else server


def check_submissions(
    accepted: list[AcceptedSubmission],
    *,
    organisation,
    before: int,
    servers: list[str],
    partner_key: str,
    timeout: float,
) -> list[str]:
    problems = []
    stored = dict(
        Session.objects.filter(pk__in=[s.id for s in accepted]).values_list("pk", "title")
    )
    for submission in accepted:
        if submission.id not in stored:
            problems.append(f"submission {submission.id} was accepted but is not in the database")
        elif stored[submission.id] != submission.title:
            problems.append(f"submission {submission.id} is stored as {stored[submission.id]!r}")
    total = Session.objects.filter(submitted_by=organisation).count()
    if total - before != len(accepted):
        problems.append(
            f"{total - before} submissions are in the database but {len(accepted)} were "
            "accepted: a duplicate, or a write whose answer was lost"
        )
    http = requests.Session()
    headers = {**FORWARDED, **NO_KEEPALIVE, "Authorization": f"Bearer {partner_key}"}
    try:
        for submission in accepted:
            server = _other(servers, submission.server)
            url = f"{server}/api/v1/submissions/sessions/{submission.id}/"
            try:
                response = http.get(url, headers=headers, timeout=timeout)
            except requests.RequestException as exc:
                problems.append(f"reading back {url}: {exc}")
                continue
            if response.status_code != 200:
                problems.append(f"{url} answered {response.status_code}")
            elif response.json().get("title") != submission.title:
                problems.append(f"{url} shows {response.json().get('title')!r}")
    finally:
        http.close()
    return problems


def check_saves(
    targets: list[EditTarget], *, servers: list[str], editor: tuple[str, str], timeout: float
) -> list[str]:
    problems = []
    saved = [target for target in targets if target.saves]
    if not saved:
        return problems
    http = requests.Session()
    try:
        response = sign_in(http, servers[0], editor, timeout)
        if response.status_code != 302:
            return [f"the data check could not sign in to the admin ({response.status_code})"]
        for target in saved:
            model = apps.get_model(target.app_label, target.model_name)
            versions = Version.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id=str(target.pk)
            )
            for save in target.saves:
                if not versions.filter(serialized_data__contains=save.token).exists():
                    problems.append(f"{target}: accepted save {save.token} has no revision")
            last = target.saves[-1]
            stored = model.objects.filter(pk=target.pk).values_list(target.field, flat=True).first()
            if stored != last.value:
                problems.append(f"{target}: the database holds {stored!r}, not {last.value!r}")
            server = _other(servers, last.server)
            try:
                page = http.get(
                    server + target.path, headers={**FORWARDED, **NO_KEEPALIVE}, timeout=timeout
                )
            except requests.RequestException as exc:
                problems.append(f"reading back {server}{target.path}: {exc}")
                continue
            shown = field_value(
                form_fields(page.text, f"{target.model_name}_form") or [], target.field
            )
            if page.status_code != 200 or shown != last.value:
                problems.append(
                    f"{server}{target.path} ({page.status_code}) shows {shown!r}, "
                    f"not {last.value!r}"
                )
    finally:
        http.close()
    return problems
