"""Lockout after repeated failed sign-ins, counted by django-axes per account and per address.

The limits are settings (``ADMIN_LOCKOUT_FAILURES``, ``ADMIN_LOCKOUT_MINUTES``); attempts are
kept in the database, so every app server counts the same. An administrator unlocks an account
by deleting its rows under *Axes → Access attempts* in the admin, or with
``manage.py axes_reset_username NAME`` (``axes_reset_ip ADDRESS`` for an address).
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.shortcuts import render


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, for sign-ins made through a web request.

    ``authenticate()`` without a request (the test client's ``login()``, a shell) has no
    address to count against; django-axes would refuse it with an error, so it is left to
    the password backend: no one can reach such a call from the web.
    """

    def authenticate(self, request: HttpRequest | None, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def client_address(request: HttpRequest) -> str:
    """The address a sign-in comes from: ``REMOTE_ADDR``, or behind ``ADMIN_NUM_PROXIES``
    trusted proxies the entry they appended to ``X-Forwarded-For`` (a client can prepend
    anything to that header, so only the trusted hops' entries count)."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.ADMIN_NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        entries = [part.strip() for part in forwarded.split(",") if part.strip()]
        if entries:
            return entries[-min(hops, len(entries))]
    return remote


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The sign-in page with the reason it is refused, as 429 Too Many Requests."""
    cool_off = get_cool_off(request)
    context = {
        "username": get_client_username(request, credentials) or "",
        "minutes": round(cool_off.total_seconds() / 60) if cool_off else None,
        "title": "Signing in is locked",
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
    }
    return render(request, "admin/locked_out.html", context, status=429)
