"""Two-factor sign-in to the admin: set-up, codes at sign-in, recovery codes, enforcement."""

import base64
import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_member, make_staff

PASSWORD = "correct horse battery staple"
pytestmark = pytest.mark.django_db


def code_for(key: bytes, *, steps_ago: int = 0) -> str:
    """What an authenticator app shows for this key now (or one 30-second step earlier)."""
    return f"{totp(key, t0=steps_ago * 30):06d}"


def wait_out_throttle():
    """django-otp makes the try after a wrong code wait (one second after the first)."""
    time.sleep(1.1)


def sign_in(client, username):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": PASSWORD, "next": reverse("admin:index")},
    )


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def test_setup_page_is_linked_from_the_admin(client):
    client.force_login(make_staff(username="ada"))
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin-2fa") in page
    status = client.get(reverse("admin-2fa"))
    assert "Two-factor sign-in is <strong>off</strong>" in status.content.decode()


def test_setup_with_a_code_from_the_shown_key_turns_it_on_and_shows_recovery_codes(client):
    user = make_staff(username="ada")
    client.force_login(user)
    page = client.get(reverse("admin-2fa-setup"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text  # the QR code
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', text).group(1).replace(" ", "")
    key = base64.b32decode(secret)

    wrong = client.post(reverse("admin-2fa-setup"), {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    too_soon = client.post(reverse("admin-2fa-setup"), {"code": code_for(key)})
    assert "Too many wrong codes: wait" in too_soon.content.decode()
    wait_out_throttle()

    done = client.post(reverse("admin-2fa-setup"), {"code": code_for(key)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    # The session that set it up is verified: the admin opens.
    assert client.get(reverse("admin:index")).status_code == 200


def test_sign_in_asks_for_a_code_after_the_password(client):
    user = make_staff(username="ada")
    device = confirmed_device(user)
    response = sign_in(client, "ada")
    assert response.status_code == 302
    admin_page = client.get(reverse("admin:index"))
    assert admin_page.status_code == 302
    assert admin_page["Location"].startswith(reverse("admin-2fa-verify"))
    # Any other admin page is held back too, not only the index.
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 302

    wrong = client.post(reverse("admin-2fa-verify"), {"code": "123456"})
    assert "That code is not right" in wrong.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    wait_out_throttle()

    right = client.post(
        reverse("admin-2fa-verify"),
        {"code": code_for(device.bin_key), "next": reverse("admin:auth_user_changelist")},
    )
    assert right.status_code == 302
    assert right["Location"] == reverse("admin:auth_user_changelist")
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_code_cannot_be_used_twice(client):
    user = make_staff(username="ada")
    device = confirmed_device(user)
    code = code_for(device.bin_key)
    sign_in(client, "ada")
    assert client.post(reverse("admin-2fa-verify"), {"code": code}).status_code == 302
    client.post(reverse("admin:logout"))
    sign_in(client, "ada")
    again = client.post(reverse("admin-2fa-verify"), {"code": code})
    assert again.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_recovery_code_works_once(client):
    user = make_staff(username="ada")
    confirmed_device(user)
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.create(device=recovery, token="abcd2345")
    StaticToken.objects.create(device=recovery, token="efgh6789")

    sign_in(client, "ada")
    used = client.post(reverse("admin-2fa-verify"), {"code": "abcd 2345"}, follow=True)
    assert used.status_code == 200
    assert "You used a recovery code; 1 left" in used.content.decode()
    assert client.get(reverse("admin:index")).status_code == 200

    client.post(reverse("admin:logout"))
    sign_in(client, "ada")
    again = client.post(reverse("admin-2fa-verify"), {"code": "abcd2345"})
    assert again.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client):
    user = make_staff(username="ada")
    device = confirmed_device(user)
    sign_in(client, "ada")
    client.post(reverse("admin-2fa-verify"), {"code": code_for(device.bin_key)})
    first = client.post(reverse("admin-2fa-recovery-codes"))
    second = client.post(reverse("admin-2fa-recovery-codes"))
    old = set(re.findall(r"<li><code>([a-z2-7]+)</code></li>", first.content.decode()))
    new = set(re.findall(r"<li><code>([a-z2-7]+)</code></li>", second.content.decode()))
    assert len(new) == 10 and not old & new
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == new


def test_staff_without_a_device_are_not_asked_when_not_required(client, settings):
    settings.ADMIN_REQUIRE_2FA = False
    make_member(username="ed", group="Editors")
    sign_in(client, "ed")
    assert client.get(reverse("admin:index")).status_code == 200


def test_required_setting_sends_editors_and_administrators_to_setup(client, settings):
    settings.ADMIN_REQUIRE_2FA = True
    for username, group in [("ed", "Editors"), ("al", "Administrators")]:
        make_member(username=username, group=group)
        sign_in(client, username)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin-2fa-setup"))
        setup = client.get(reverse("admin-2fa-setup"))
        assert "Editors and administrators sign in with a second factor" in setup.content.decode()
        client.post(reverse("admin:logout"))


def test_required_setting_leaves_contributors_free_to_choose(client, settings):
    settings.ADMIN_REQUIRE_2FA = True
    make_member(username="cat", group="Contributors")
    sign_in(client, "cat")
    assert client.get(reverse("admin:index")).status_code == 200


def test_required_editor_completes_setup_and_reaches_the_admin(client, settings):
    settings.ADMIN_REQUIRE_2FA = True
    make_member(username="ed", group="Editors")
    sign_in(client, "ed")
    text = client.get(reverse("admin-2fa-setup")).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', text).group(1).replace(" ", "")
    client.post(reverse("admin-2fa-setup"), {"code": code_for(base64.b32decode(secret))})
    assert client.get(reverse("admin:index")).status_code == 200
    # Required: it cannot be turned off.
    client.post(reverse("admin-2fa-off"))
    assert TOTPDevice.objects.filter(user__username="ed", confirmed=True).exists()


def test_a_user_with_a_device_cannot_replace_it_before_giving_a_code(client):
    user = make_staff(username="ada")
    confirmed_device(user)
    sign_in(client, "ada")
    response = client.get(reverse("admin-2fa-setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin-2fa-verify"))


def test_turning_it_off_when_not_required(client):
    user = make_staff(username="ada")
    device = confirmed_device(user)
    sign_in(client, "ada")
    client.post(reverse("admin-2fa-verify"), {"code": code_for(device.bin_key)})
    client.post(reverse("admin-2fa-off"))
    assert not TOTPDevice.objects.filter(user=user).exists()
    client.post(reverse("admin:logout"))
    sign_in(client, "ada")
    assert client.get(reverse("admin:index")).status_code == 200


def test_code_from_the_previous_step_is_accepted_for_clock_drift(client):
    user = make_staff(username="ada")
    device = confirmed_device(user)
    sign_in(client, "ada")
    previous = code_for(device.bin_key, steps_ago=1)
    assert client.post(reverse("admin-2fa-verify"), {"code": previous}).status_code == 302


def test_a_user_who_owes_a_code_sees_no_drafts_on_the_public_site(client):
    from core.publishing import Status
    from tests.factories import make_event

    draft = make_event(slug="draft-summit", status=Status.DRAFT)
    user = make_staff(username="ada", superuser=True)
    device = confirmed_device(user)
    sign_in(client, "ada")
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.post(reverse("admin-2fa-verify"), {"code": code_for(device.bin_key)})
    assert client.get(draft.get_absolute_url()).status_code == 200
