"""In a real browser, hostile names, titles and notes run nothing, on the analyst pages and in
the admin: no dialog opens and no element the data tried to inject exists."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.test_tracker_escaping import HOSTILE_FIXTURE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ANALYST_PAGES = (
    "/",
    "/pledges/?donor=hostile-donor&category=hostile-category&q=%3Cscript%3Ealert(1)%3C/script%3E",
    "/pledges/9001/",
    "/donors/hostile-donor/",
    "/articles/hostile-article/",
    "/reference/",
)
ADMIN_PAGES = (
    "/admin/tracker/pledge/",
    "/admin/tracker/pledge/9001/change/",
    "/admin/tracker/pledge/9001/history/",
    "/admin/tracker/donor/",
    "/admin/tracker/pledgereviewqueue/",
)
INJECTED = "img[src='x'], svg[onload], iframe, [onerror], [onload]"
#: Where, from the left, the figure's first digit and its currency are drawn in a heading.
FIGURE_ORDER = """heading => {
    const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode()) && !node.textContent.includes("EUR")) {}
    const x = (text) => {
        const range = document.createRange();
        const at = node.textContent.indexOf(text);
        range.setStart(node, at);
        range.setEnd(node, at + 1);
        return range.getBoundingClientRect().left;
    };
    return [x("2,000,000"), x("EUR")];
}"""


@pytest.fixture
def hostile_server(live_server):
    call_command("loaddata", str(HOSTILE_FIXTURE), verbosity=0)
    return live_server


def test_nothing_runs_on_any_page(hostile_server, page, django_user_model):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in ANALYST_PAGES:
        page.goto(f"{hostile_server.url}{path}")
        assert page.locator(INJECTED).count() == 0, path
    # the German names, and a filter applied by htmx
    page.goto(f"{hostile_server.url}/pledges/")
    page.get_by_role("button", name="Deutsch").click()
    page.get_by_role("checkbox", name="{{ 7|add:7 }}", exact=False).check()
    page.wait_for_url("**/pledges/?*donor=hostile-donor*")
    assert page.locator("#pledge-table tbody tr").count() == 3
    assert page.locator(INJECTED).count() == 0

    django_user_model.objects.create_superuser("root", password="a-long-admin-password")
    page.goto(f"{hostile_server.url}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "a-long-admin-password")
    page.click("input[type=submit]")
    for path in ADMIN_PAGES:
        page.goto(f"{hostile_server.url}{path}")
        assert page.locator(INJECTED).count() == 0, path
    assert dialogs == []


def test_a_right_to_left_override_in_a_name_does_not_turn_the_figure_around(
    hostile_server, page, django_user_model
):
    from tracker.models import Donor, Pledge

    # An override that is never closed: without isolation, "2,000,000 EUR" after the name
    # would be drawn as "RUE 000,000,2".
    evil = Donor.objects.get(slug="hostile-evil")
    evil.name = "Evil \u202eRLO"
    evil.save()
    Pledge.objects.filter(pk=9003).update(donor=evil)
    page.goto(f"{hostile_server.url}/pledges/9003/")
    number, currency = page.locator("h1").evaluate(FIGURE_ORDER)
    assert number < currency

    django_user_model.objects.create_superuser("root", password="a-long-admin-password")
    page.goto(f"{hostile_server.url}/admin/login/?next=/admin/tracker/pledge/9003/change/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "a-long-admin-password")
    page.click("input[type=submit]")
    number, currency = page.locator("#content h2").first.evaluate(FIGURE_ORDER)
    assert number < currency
