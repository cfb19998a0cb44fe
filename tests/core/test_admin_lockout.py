"""Signing in to the admin: repeated wrong passwords lock the account and the address out."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import make_staff

PASSWORD = "correct horse battery staple"
pytestmark = pytest.mark.django_db


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def fail_until_locked(client, username, address="10.0.0.1", limit=5):
    for _ in range(limit):
        response = sign_in(client, username, "wrong password", address)
    return response


def test_right_password_signs_in(client):
    make_staff(username="ada")
    assert signed_in(sign_in(client, "ada", PASSWORD))


def test_right_password_is_refused_after_repeated_failures_with_a_message(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    make_staff(username="ada")
    for _ in range(4):
        assert sign_in(client, "ada", "wrong").status_code == 200  # the form, with its error
    locked = sign_in(client, "ada", "wrong")
    assert locked.status_code == 429
    response = sign_in(client, "ada", PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many failed sign-in attempts" in text
    assert "locked for 30 minutes" in text
    # Still not signed in: the admin sends the visitor to the sign-in page.
    assert client.get(reverse("admin:index")).status_code == 302


def test_lockout_counts_an_account_across_addresses(client):
    make_staff(username="ada")
    for n in range(5):
        sign_in(client, "ada", "wrong", address=f"10.0.1.{n}")
    assert sign_in(client, "ada", PASSWORD, address="10.0.2.1").status_code == 429


def test_lockout_counts_an_address_across_accounts(client):
    make_staff(username="ada")
    for n in range(5):
        sign_in(client, f"guess{n}", "wrong", address="10.0.3.3")
    assert sign_in(client, "ada", PASSWORD, address="10.0.3.3").status_code == 429
    assert signed_in(sign_in(client, "ada", PASSWORD, address="10.0.3.4"))


def test_other_accounts_from_other_addresses_are_unaffected(client):
    make_staff(username="ada")
    make_staff(username="grace")
    fail_until_locked(client, "ada", address="10.0.0.1")
    assert signed_in(sign_in(client, "grace", PASSWORD, address="10.0.0.2"))


def test_an_administrators_reset_command_lets_the_user_in(client):
    make_staff(username="ada")
    fail_until_locked(client, "ada")
    assert sign_in(client, "ada", PASSWORD).status_code == 429
    call_command("axes_reset_username", "ada")
    call_command("axes_reset_ip", "10.0.0.1")
    assert signed_in(sign_in(client, "ada", PASSWORD))


def test_an_administrator_unlocks_from_the_admin(client):
    make_staff(username="ada")
    fail_until_locked(client, "ada")
    boss = make_staff(username="boss", superuser=True)
    admin_client = client.__class__()
    admin_client.force_login(boss)
    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "ada" in listing.content.decode()
    from axes.models import AccessAttempt

    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    response = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert signed_in(sign_in(client, "ada", PASSWORD))


def test_success_clears_earlier_failures(client):
    make_staff(username="ada")
    for _ in range(4):
        sign_in(client, "ada", "wrong")
    assert signed_in(sign_in(client, "ada", PASSWORD))
    client.logout()
    for _ in range(4):
        sign_in(client, "ada", "wrong")
    assert signed_in(sign_in(client, "ada", PASSWORD))


def test_behind_a_proxy_the_forwarded_address_is_counted(client, settings):
    settings.ADMIN_NUM_PROXIES = 1
    make_staff(username="ada")
    for n in range(5):
        client.post(
            reverse("admin:login"),
            {"username": f"guess{n}", "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.7",
        )
    # The attacker's address (as the proxy saw it) is locked; the proxy's other clients are not.
    blocked = client.post(
        reverse("admin:login"),
        {"username": "ada", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert blocked.status_code == 429
    other = client.post(
        reverse("admin:login"),
        {"username": "ada", "password": PASSWORD, "next": reverse("admin:index")},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert signed_in(other)
