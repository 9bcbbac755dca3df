"""The member's own account pages in a real browser, each checked with axe-core.

Rosa has a notice and an organizer's look at her private details waiting; she reads both, downloads
her data, and leaves the network. A visitor asks for a password reset. No JavaScript is needed.
"""

import json

import pytest
from playwright.sync_api import expect

from mutualaid.accounts import services as account_services
from mutualaid.aid import services
from mutualaid.aid.models import AccessKind, Category, PrivateAccess, Urgency
from mutualaid.aid.tests import test_browser_loop as loop
from mutualaid.test import PASSWORD, make_areas, make_member

# The browser, axe and the visit of the loop's own browser test.
browser = loop.browser
axe_source = loop.axe_source
Visit = loop.Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def rosa_with_news(transactional_db):
    """Requested before `browser`, so that these queries run before Playwright's loop starts."""
    north, *_ = make_areas()
    rosa = make_member("rosa", area=north)
    olga = make_member("olga", organizer=True)
    need = services.need_post(
        requester=rosa,
        category=Category.objects.get(slug="groceries"),
        area=north,
        summary="Insulin pickup",
        details="Flat 3B",
        urgency=Urgency.SOON,
    )
    PrivateAccess.objects.create(viewer=olga, owner=rosa, need=need, what=AccessKind.DETAILS)
    account_services.notify(
        member=rosa, kind="message", text="The volunteer left; your need is back."
    )
    return rosa


def test_a_member_reads_her_account_downloads_her_data_and_leaves(
    rosa_with_news, browser, live_server, axe_source
):
    rosa = Visit(browser, live_server, axe_source, [], "rosa", javascript=False)
    page = rosa.page
    rosa.log_in("rosa")
    page.get_by_role("link", name="Account (1 new notice)").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    rosa.check("account-01-page")
    page.get_by_role("link", name="See who viewed my private details").click()
    expect(page.get_by_text("olga opened your private details")).to_be_visible()
    rosa.check("account-01b-accesses")
    rosa.goto("/me/account/")

    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("link", name="Account", exact=True)).to_be_visible()

    page.get_by_label("Current password").fill("not it")
    page.get_by_label("Email (optional)").fill("rosa@example.org")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Please fix the marked fields.")
    rosa.check("account-02-errors")

    page.get_by_role("link", name="All notices").click()
    expect(page.get_by_text("The volunteer left; your need is back.")).to_be_visible()
    rosa.check("account-03-notices")

    rosa.goto("/me/account/export/")
    rosa.check("account-04-export")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()
    data = json.loads(download.value.path().read_text())
    assert data["needs"][0]["private_details"] == "Flat 3B"

    rosa.goto("/me/account/password/")
    rosa.check("account-05-password")

    rosa.goto("/me/account/limits/")
    expect(page.get_by_role("heading", name="Your limits as a volunteer")).to_be_visible()
    rosa.check("account-05b-limits")

    rosa.goto("/me/account/delete/")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("alert")).to_contain_text("Please fix the marked fields.")
    rosa.check("account-06-delete-errors")
    page.get_by_label("Type your handle").fill("rosa")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account is deleted.")).to_be_visible()
    assert rosa.errors == []


def test_a_visitor_asks_for_a_password_reset(transactional_db, browser, live_server, axe_source):
    visitor = Visit(browser, live_server, axe_source, [], "visitor", javascript=False)
    page = visitor.page
    visitor.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    visitor.check("account-07-reset")
    page.get_by_label("Your handle").fill("nobody-here")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_text("If that handle has an email on file")).to_be_visible()
    visitor.check("account-08-reset-sent")
    assert visitor.errors == []
