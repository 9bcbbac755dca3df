"""The organizers' room, in a real browser: a new need waits for triage, a triager puts it on the
board from the Organize home's count, and a dispatcher finds it in the dispatch queue and asks the
best-suggested volunteer with one click.

Once with JavaScript on, once with it off (plain forms and full page loads). Each page is checked
with axe-core and photographed, with the fixtures and browser helper of aid's
test_browser_loop.py.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from mutualaid.aid import services
from mutualaid.aid.models import Category, NeedStatus, Urgency
from mutualaid.aid.tests import test_browser_loop as loop
from mutualaid.aid.tests.test_browser_loop import SCREENSHOTS, Visit
from mutualaid.network.models import NetworkSettings
from mutualaid.test import make_areas, make_member
from mutualaid.trust.models import Role

axe_source = loop.axe_source
browser = loop.browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUMMARY = "Somewhere warm to sleep tonight"


@pytest.fixture
def need_in_triage(transactional_db):
    """rosa's need, posted while new needs go to triage first; a triager, a dispatcher and two
    volunteers, the nearer one first in the suggestions."""
    north, central, south, _ = make_areas()
    NetworkSettings.objects.filter(pk=NetworkSettings.load().pk).update(triage_first=True)
    rosa = make_member("rosa", area=north)
    make_member("vic", area=north)
    make_member("val", area=south)
    make_member("tam", area=central, roles=[Role.TRIAGER])
    make_member("dee", area=central, roles=[Role.DISPATCHER])
    need = services.need_post(
        requester=rosa,
        category=Category.objects.get(slug="housing"),
        area=north,
        summary=SUMMARY,
        details="I can't stay at home tonight.",
        urgency=Urgency.TODAY,
    )
    assert need.status == NeedStatus.TRIAGE
    return need


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_need_goes_from_triage_to_a_volunteer(
    need_in_triage, browser, live_server, axe_source, javascript
):
    findings = []
    step = "organize-js" if javascript else "organize-no-js"
    try:
        _triage_and_dispatch(browser, live_server, axe_source, findings, need_in_triage, step)
    finally:
        (SCREENSHOTS / f"{step}-axe.json").write_text(json.dumps(findings, indent=2))


def _triage_and_dispatch(browser, live_server, axe_source, findings, need, step):
    javascript = step.endswith("-js") and not step.endswith("no-js")

    def visit(name):
        return Visit(browser, live_server, axe_source, findings, name, javascript=javascript)

    # 1. The triager's Organize home counts the need waiting; the count opens the queue.
    tam = visit("tam")
    page = tam.page
    tam.log_in("tam")
    page.get_by_role("link", name="Organize", exact=True).click()
    expect(page.get_by_role("heading", name="Organize")).to_be_visible()
    tam.check(f"{step}-01-triager-home")
    page.get_by_role("link", name="1", exact=True).first.click()
    expect(page.get_by_role("heading", name="Triage", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=SUMMARY)).to_be_visible()
    tam.check(f"{step}-02-triage-queue")

    # 2. They put it on the board.
    page.get_by_role("button", name="Publish to the board").click()
    expect(page.get_by_text(re.compile(rf"Published: “{SUMMARY}” is open now"))).to_be_visible()
    tam.check(f"{step}-03-published")
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN

    # 3. The dispatcher finds it in the queue and asks the best-suggested volunteer.
    dee = visit("dee")
    page = dee.page
    dee.log_in("dee")
    dee.goto("/organize/dispatch/")
    card = page.locator("li.card", has=page.get_by_role("link", name=SUMMARY))
    expect(card).to_be_visible()
    dee.check(f"{step}-04-dispatch-queue")
    card.get_by_role("link", name="Find a volunteer").click()
    expect(page.get_by_role("heading", name="Suggested volunteers")).to_be_visible()
    proposes = page.get_by_role("button", name=re.compile(r"^Propose to "))
    expect(proposes.first).to_have_text("Propose to vic")  # same area, first
    expect(page.get_by_text("same area").first).to_be_visible()
    dee.check(f"{step}-05-suggestions")
    proposes.first.click()
    expect(page.get_by_text("Asked vic: the need is theirs once they accept.")).to_be_visible()
    dee.check(f"{step}-06-proposed")
    need.refresh_from_db()
    assert need.status == NeedStatus.PROPOSED
    assert need.live_proposal().volunteer.handle == "vic"
