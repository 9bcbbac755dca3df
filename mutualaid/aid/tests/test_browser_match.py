"""A dispatcher's match, in a real browser: the volunteer is asked first, and the need is theirs
once they accept.

A dispatcher matches an open need with a volunteer on the need's page ("Match with a volunteer");
the volunteer sees a new notice counted in the header, opens it ("An organizer matched you with
...: will you accept?"), and accepts on the need's page; the requester's page then shows the need
taken on. Once with JavaScript on for everyone (the match and the answer are htmx swaps, and the
requester's open page updates itself), once with it off (plain forms, full page loads, a reload).

The pages are checked with axe-core and photographed as in test_browser_loop.py, whose fixtures
and browser helper this file reuses.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from mutualaid.accounts.models import Notice
from mutualaid.aid import services
from mutualaid.aid.models import Category, EventKind, NeedStatus, Urgency
from mutualaid.test import make_areas, make_member
from mutualaid.trust.models import Role

from . import test_browser_loop as loop
from .test_browser_loop import SCREENSHOTS, UPDATED, Visit

# The loop's fixtures, found by pytest under these names.
axe_source = loop.axe_source
browser = loop.browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUMMARY = "A lift to the clinic on Thursday"
DETAILS = "Wheelchair, folds into a boot. Blue door."
ASKED = re.compile(rf"An organizer matched you with “{SUMMARY}”: will you accept\?")


@pytest.fixture
def need_to_match(transactional_db):
    """The people, and rosa's open need (posted through the service: posting has its own walk).

    Requested before `browser`, so that these queries run before Playwright's loop starts."""
    north, central, _, _ = make_areas()
    rosa = make_member("rosa", area=north)
    make_member("vic", area=central)
    make_member("dee", area=central, roles=[Role.DISPATCHER])
    return services.need_post(
        requester=rosa,
        category=Category.objects.get(slug="rides"),
        area=north,
        summary=SUMMARY,
        details=DETAILS,
        urgency=Urgency.SOON,
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_dispatcher_matches_a_need_and_the_volunteer_accepts(
    need_to_match, browser, live_server, axe_source, javascript
):
    findings = []
    step = "match-js" if javascript else "match-no-js"
    try:
        _match_and_accept(browser, live_server, axe_source, findings, need_to_match, javascript)
    finally:
        (SCREENSHOTS / f"{step}-axe.json").write_text(json.dumps(findings, indent=2))


def _match_and_accept(browser, live_server, axe_source, findings, need, javascript):
    step = "match-js" if javascript else "match-no-js"
    need_path = f"/needs/{need.code}/"

    def visit(name):
        return Visit(browser, live_server, axe_source, findings, name, javascript=javascript)

    # The requester has her need's page open (with JavaScript it will update itself).
    rosa = visit("rosa")
    rosa.log_in("rosa")
    rosa.goto(need_path)
    expect(_status(rosa.page)).to_have_text("Open")

    # 1. The dispatcher matches it with vic, by handle: a mistyped handle is told first.
    dee = visit("dee")
    page = dee.page
    dee.log_in("dee")
    dee.goto(need_path)
    form = page.locator("#assign")
    expect(form.get_by_role("heading", name="Match with a volunteer")).to_be_visible()
    form.get_by_label("Volunteer's handle").fill("vicc")
    form.get_by_role("button", name="Match").click()
    expect(form.get_by_text("No active member has that handle.")).to_be_visible()
    dee.check(f"{step}-01-dispatcher-mistyped")
    if javascript:  # the refusal, a 422 that htmx swaps in, is no error of the page's
        assert dee.errors == [f"422 for {live_server.url}{need_path}assign/"], dee.errors
        dee.errors.clear()
    form.get_by_label("Volunteer's handle").fill("vic")
    form.get_by_role("button", name="Match").click()
    expect(page.get_by_text("Asked vic: the need is theirs once they accept.")).to_be_visible()
    expect(_status(page)).to_have_text("Proposed to a volunteer")
    expect(page.locator("#assign")).to_have_count(0)
    dee.check(f"{step}-02-dispatcher-matched")

    # 2. The volunteer sees a new notice counted in the header, and opens it.
    vic = visit("vic")
    page = vic.page
    vic.log_in("vic")
    account = page.get_by_role("link", name=re.compile(r"^Account \(1 new notice\)$"))
    expect(account).to_be_visible()
    account.click()
    notice = page.get_by_role("link", name=ASKED)
    expect(notice).to_be_visible()
    vic.check(f"{step}-03-volunteer-notices")
    notice.click()
    page.wait_for_url(f"**{need_path}")
    expect(_status(page)).to_have_text("Proposed to a volunteer")
    expect(page.get_by_text("You are asked to take this on. Will you?")).to_be_visible()
    expect(page.get_by_text(DETAILS)).to_have_count(0)  # not theirs yet
    vic.check(f"{step}-04-volunteer-asked")

    # 3. They accept: an htmx swap with JavaScript, a form post and a redirect without.
    if javascript:
        page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("button", name="Accept: I'll do it").click()
    expect(page.get_by_text("It's yours. Thank you! Say hello to them below.")).to_be_visible()
    expect(_status(page)).to_have_text("Claimed")
    expect(page.get_by_text(DETAILS)).to_be_visible()
    expect(page.get_by_role("button", name="Accept: I'll do it")).to_have_count(0)
    if javascript:
        assert page.evaluate("window.stillTheSamePage") is True, "the page was reloaded"
    vic.check(f"{step}-05-volunteer-accepted")

    # 4. The requester's page shows it taken on: by itself with JavaScript, on a reload without.
    page = rosa.page
    if not javascript:
        page.reload()
    expect(_status(page)).to_have_text("Claimed", timeout=UPDATED)
    expect(page.locator("#need-panel .facts")).to_contain_text("vic")
    expect(page.locator(".timeline li").last).to_have_text(
        re.compile(r"vic accepted the match and took the need on$")
    )
    rosa.check(f"{step}-06-requester-sees-it-taken")

    need.refresh_from_db()
    assert (need.status, need.claimant.handle) == (NeedStatus.CLAIMED, "vic")
    assert list(need.events.values_list("kind", flat=True)) == [
        EventKind.NEED_POSTED,
        EventKind.NEED_ASSIGNED,
        EventKind.PROPOSAL_ACCEPTED,
    ]
    told = dict(Notice.objects.values_list("member__handle", "kind"))
    assert told == {"vic": "match_proposed", "rosa": "need_claimed", "dee": "proposal_accepted"}
    for person in (rosa, dee, vic):
        assert not person.errors, f"{person.name}'s browser reported errors: {person.errors}"


def _status(page):
    return page.locator("#need-panel strong.status")

