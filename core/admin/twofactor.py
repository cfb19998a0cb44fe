"""Two-factor sign-in to the admin: an authenticator app (TOTP) and single-use recovery codes.

Built on django-otp's TOTP and static-token devices. Any staff member can set it up from
*Two-factor sign-in* in the admin's user links (``/admin/2fa/``). Once a staff member has a
device, every new sign-in asks for a code after the password. With ``ADMIN_REQUIRE_2FA`` on,
editors and administrators (``core.workflow.is_editor``) without a device are sent to the
set-up page before any other admin page. An administrator who lost their phone and their
recovery codes is helped by another administrator, who deletes their TOTP device under
*TOTP devices* (in the admin's *OTP_TOTP* section).

Whether a code is still owed is noted in the session at sign-in, so an admin page costs no
extra query; django-otp slows repeated wrong codes down (its throttling) on each device.
"""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import workflow

#: Set at sign-in for a user with a confirmed device; cleared once a code is given.
PENDING_KEY = "admin_2fa_pending"


def has_device(user) -> bool:
    """Two-factor sign-in is on for a user with a confirmed authenticator app; recovery codes
    only stand in for it (so deleting the app's device turns it off for that user)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_required(user) -> bool:
    """True when the setting obliges this user to sign in with a second factor."""
    return settings.ADMIN_REQUIRE_2FA and workflow.is_editor(user)


@receiver(user_logged_in)
def _note_code_owed(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and user.is_staff:
        if has_device(user):
            request.session[PENDING_KEY] = True
        else:
            request.session.pop(PENDING_KEY, None)


class TwoFactorMiddleware:
    """Holds staff who owe a code at the code page, and (when required) those without a device
    at the set-up page, before they reach any other admin page. Elsewhere (the public site's
    previews of drafts) they count as signed out until they have given the code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        owed = self._owed(request)
        if owed:
            if not request.path.startswith(reverse("admin:index")):
                request.user = AnonymousUser()
            elif request.path not in {reverse(owed), reverse("admin:logout")}:
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse(owed)}?{query}")
        return self.get_response(request)

    @staticmethod
    def _owed(request: HttpRequest) -> str | None:
        """The page this user must go through first, if any."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff:
            return None
        if user.is_verified():
            return None
        if request.session.get(PENDING_KEY):
            return "admin-2fa-verify"
        if two_factor_required(user):
            return "admin-2fa-setup"
        return None


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text="The six digits your authenticator app shows now.",
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _render(request, template: str, title: str, **context) -> TemplateResponse:
    return TemplateResponse(
        request,
        f"admin/twofactor/{template}",
        {**admin.site.each_context(request), "title": title, "next": _next_url(request), **context},
    )


def _throttled_message(device) -> str | None:
    """Why no code can be tried right now, if django-otp's throttling holds the device."""
    allowed, why = device.verify_is_allowed()
    if not allowed and why and why.get("locked_until"):
        wait = max(1, round((why["locked_until"] - timezone.now()).total_seconds()))
        return f"Too many wrong codes: wait {wait} seconds, then try again."
    return None


WRONG_CODE = (
    "That code is not right. Use the six digits your app shows now (check the phone's "
    "clock), or one of your recovery codes. Each wrong code makes the next try wait longer."
)


def _new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with a fresh set, and return them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.ADMIN_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def status_view(request: HttpRequest) -> TemplateResponse:
    user = request.user
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    codes_left = StaticToken.objects.filter(device__user=user).count()
    return _render(
        request,
        "status.html",
        "Two-factor sign-in",
        totp=totp,
        codes_left=codes_left,
        required=two_factor_required(user),
    )


def setup_view(request: HttpRequest) -> HttpResponse:
    """Show a new secret (QR code and text), and confirm it with a code from the app."""
    user = request.user
    if has_device(user) and not user.is_verified():
        return redirect(f"{reverse('admin-2fa-verify')}?{urlencode({'next': request.path})}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = _throttled_message(device)
        if throttled:
            form.add_error("code", throttled)
        elif device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(user)
            otp_login(request, device)
            request.session.pop(PENDING_KEY, None)
            return _render(request, "codes.html", "Your recovery codes", codes=codes)
        else:
            form.add_error("code", WRONG_CODE)
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    return _render(
        request,
        "setup.html",
        "Set up two-factor sign-in",
        form=form,
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        # segno writes the SVG itself from the otpauth address: no user text reaches it raw.
        qr_svg=mark_safe(qr.svg_inline(scale=4, title="QR code for your authenticator app")),  # noqa: S308
        required=two_factor_required(user),
    )


def verify_view(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code."""
    user = request.user
    if not has_device(user) or user.is_verified():
        request.session.pop(PENDING_KEY, None)
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        # Six digits are the app's; anything else is tried as a recovery code, so a wrong
        # guess slows down only the device it was meant for.
        model = TOTPDevice if code.isdigit() else StaticDevice
        candidates = list(model.objects.filter(user=user, confirmed=True))
        throttled = next(filter(None, map(_throttled_message, candidates)), None)
        if throttled:
            form.add_error("code", throttled)
            return _render(request, "verify.html", "Enter your sign-in code", form=form)
        for candidate in candidates:
            # django-otp locks the device row, so a code cannot be used twice at once.
            device = verify_token(user, candidate.persistent_id, code)
            if device is not None:
                otp_login(request, device)
                request.session.pop(PENDING_KEY, None)
                if isinstance(device, StaticDevice):
                    left = device.token_set.count()
                    messages.warning(
                        request,
                        f"You used a recovery code; {left} left. "
                        "Make new ones under Two-factor sign-in.",
                    )
                return redirect(_next_url(request))
        form.add_error("code", WRONG_CODE)
    return _render(request, "verify.html", "Enter your sign-in code", form=form)


@require_POST
def recovery_codes_view(request: HttpRequest) -> TemplateResponse:
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("admin-2fa")
    codes = _new_recovery_codes(request.user)
    return _render(request, "codes.html", "Your new recovery codes", codes=codes)


@require_POST
def disable_view(request: HttpRequest) -> HttpResponse:
    if two_factor_required(request.user):
        messages.error(request, "Two-factor sign-in is required for editors and administrators.")
        return redirect("admin-2fa")
    for device in devices_for_user(request.user, confirmed=None):
        device.delete()
    messages.success(request, "Two-factor sign-in is off for your account.")
    return redirect("admin-2fa")


urlpatterns = [
    path("", admin.site.admin_view(status_view), name="admin-2fa"),
    path("setup/", admin.site.admin_view(setup_view), name="admin-2fa-setup"),
    path("verify/", admin.site.admin_view(verify_view), name="admin-2fa-verify"),
    path(
        "recovery-codes/",
        admin.site.admin_view(recovery_codes_view),
        name="admin-2fa-recovery-codes",
    ),
    path("off/", admin.site.admin_view(disable_view), name="admin-2fa-off"),
]
