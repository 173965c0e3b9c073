"""Login throttling: a few wrong passwords lock the account for the address they came from.

django-axes counts failures per account and address in the database; after the limit (5) the
admin's login answers 429 with a page that says what happened, for how long and whom to ask,
even to the right password, until the cool-off has passed or an admin lifts the lock.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client, RequestFactory

from tracker.login_throttle import client_address

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "a-long-and-unusual-passphrase"
HOME, AWAY = "203.0.113.5", "198.51.100.7"


@pytest.fixture
def anna(django_user_model):
    user = django_user_model.objects.create_user("anna", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def log_in(client: Client, password: str, *, username="anna", address=HOME, **extra):
    form = {"username": username, "password": password, "next": "/admin/"}
    return client.post(LOGIN, form, REMOTE_ADDR=address, **extra)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def lock(client: Client, *, username: str = "anna", address: str = HOME):
    """Five wrong passwords; the answer to the last."""
    for attempt in range(1, 6):
        response = log_in(client, f"wrong-{attempt}", username=username, address=address)
        if attempt < 5:
            assert response.status_code == 200  # the login form again, with its error
            assert "Please enter the correct username and password" in response.content.decode()
    return response


def assert_locked_page(response) -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    body = response.content.decode()
    assert "Login locked" in body
    assert "After 5 wrong passwords, logins to this account from your address are blocked." in body
    assert "Try again in 15 minutes." in body
    assert "Ask an administrator of the Aid Pledge Tracker" in body


def test_five_failures_lock_out_even_the_right_password(client, anna):
    assert_locked_page(lock(client))
    response = log_in(client, PASSWORD)
    assert_locked_page(response)
    assert not logged_in(client)
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("anna", HOME)
    # every failure is in the log the admins read, the attempts during the lock marked
    assert AccessFailureLog.objects.filter(username="anna").count() == 6
    assert AccessFailureLog.objects.filter(locked_out=True).count() == 2


def test_the_lockout_page_in_german(client, anna):
    lock(client)
    response = log_in(client, PASSWORD, headers={"Accept-Language": "de"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Anmeldung gesperrt" in body
    assert "Versuchen Sie es in 15 Minuten erneut." in body


def test_other_accounts_and_addresses_are_unaffected(client, anna, django_user_model):
    django_user_model.objects.create_user("ben", password=PASSWORD, is_staff=True)
    lock(client)
    elsewhere = Client()
    assert log_in(elsewhere, PASSWORD, address=AWAY).status_code == 302  # anna, from elsewhere
    assert logged_in(elsewhere)
    colleague = Client()
    assert log_in(colleague, PASSWORD, username="ben").status_code == 302  # ben, from here
    assert logged_in(colleague)


def test_a_success_before_the_limit_starts_the_count_again(client, anna):
    for attempt in range(4):
        log_in(client, f"wrong-{attempt}")
    assert log_in(client, PASSWORD).status_code == 302
    client.post("/admin/logout/")
    for attempt in range(4):
        assert log_in(client, f"wrong-again-{attempt}").status_code == 200
    assert log_in(client, PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, anna):
    def last_attempt_back(minutes: int) -> None:
        last = AccessAttempt.objects.get().attempt_time
        AccessAttempt.objects.update(attempt_time=last - timedelta(minutes=minutes))

    lock(client)
    last_attempt_back(14)
    assert log_in(client, PASSWORD).status_code == 429  # and the wait starts again
    last_attempt_back(16)
    assert log_in(client, PASSWORD).status_code == 302
    assert logged_in(client)


def test_an_admin_lifts_the_lock_in_the_admin(client, anna, admin_client):
    lock(client)
    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "anna" in listing.content.decode()
    assert "Locked Out" in listing.content.decode()
    attempt = AccessAttempt.objects.get()
    response = admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert log_in(client, PASSWORD).status_code == 302


def test_an_admin_lifts_the_lock_with_a_command(client, anna, capsys):
    lock(client)
    call_command("axes_reset_username", "anna")
    assert log_in(client, PASSWORD).status_code == 302


def test_editors_cannot_see_or_lift_locks(client, anna, editor_client):
    lock(client)
    assert editor_client.get("/admin/axes/accessattempt/").status_code == 403
    assert AccessAttempt.objects.exists()


def test_logins_made_in_code_are_not_throttled(client, anna):
    """The test client's login() authenticates without a request: nothing to count it by."""
    assert client.login(username="anna", password=PASSWORD)


class TestTheClientsAddress:
    def request(self, **headers):
        return RequestFactory().post(LOGIN, REMOTE_ADDR="10.0.0.2", headers=headers)

    def test_the_peer_without_a_proxy_header(self, settings):
        settings.CLIENT_IP_HEADER = ""
        assert client_address(self.request(**{"X-Forwarded-For": AWAY})) == "10.0.0.2"

    def test_the_address_the_proxy_saw_with_one(self, settings):
        settings.CLIENT_IP_HEADER = "X-Forwarded-For"
        request = self.request(**{"X-Forwarded-For": f"{HOME}, {AWAY}"})  # the client sent HOME
        assert client_address(request) == AWAY
        settings.CLIENT_IP_HEADER = "X-Real-IP"
        assert client_address(self.request(**{"X-Real-IP": " 2001:db8::1 "})) == "2001:db8::1"

    def test_no_address_in_the_header_counts_as_none(self, settings):
        settings.CLIENT_IP_HEADER = "X-Forwarded-For"
        assert client_address(self.request()) == "10.0.0.2"
        assert client_address(self.request(**{"X-Forwarded-For": "<script>"})) == "10.0.0.2"

    def test_behind_a_proxy_the_lock_follows_the_client(self, client, anna, settings):
        settings.CLIENT_IP_HEADER = "X-Forwarded-For"

        def via_proxy(client: Client, password: str, forwarded_for: str):
            headers = {"X-Forwarded-For": forwarded_for}
            return log_in(client, password, address="10.0.0.2", headers=headers).status_code

        for attempt in range(5):
            via_proxy(client, f"wrong-{attempt}", HOME)
        assert via_proxy(client, PASSWORD, HOME) == 429
        # an address the client wrote in the header itself changes nothing
        assert via_proxy(client, PASSWORD, f"{AWAY}, {HOME}") == 429
        # another client behind the same proxy is another address
        assert via_proxy(Client(), PASSWORD, AWAY) == 302
