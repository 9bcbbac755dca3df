"""Long words and links wrap: at a phone's width (375 px) no page is wider than the screen.

A member with a handle of 30 characters asks for help in an area and a category whose names are
one long word, with that word in the needs' and the offer's summaries, and a volunteer answers
with a long link. The member's pages and the organizers' pages that show them are opened in one
browser, and none may scroll sideways. An outsider who is not logged in is sent to log in.

The browser and the visit are those of aid's test_browser_loop.py.
"""

import re

import pytest

from mutualaid.aid import services, triage
from mutualaid.aid.models import Category, OfferKind, Urgency
from mutualaid.aid.tests import test_browser_loop as loop
from mutualaid.aid.tests.test_browser_loop import PHONE, SCREENSHOTS, Visit
from mutualaid.areas.models import Area
from mutualaid.network.models import NetworkSettings
from mutualaid.test import make_member
from mutualaid.trust.models import Role

browser = loop.browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTH = PHONE["viewport"]["width"]
WORD = "Supercalifragilisticexpialidocious" + "Antidisestablishmentarianism"  # 62 letters
LINK = "https://food.example.org/pantries/weekly-distribution-schedule-and-opening-hours?area=north"
HANDLE = "Wolfeschlegelsteinhausenberger"  # the longest a handle may be: 30 characters
ORGANIZER = "Hubertblaineolfeschlegelstein0"
# The page's width, and the first few elements that reach past the screen's right edge.
MEASURE = """width => ({
  scrollWidth: document.documentElement.scrollWidth,
  overflowing: [...document.querySelectorAll("body *")]
    .filter(element => element.getBoundingClientRect().right > width + 0.5)
    .slice(0, 5)
    .map(element => element.localName + (element.className ? "." + element.className : "")),
})"""


@pytest.fixture
def long_words(transactional_db):
    """Requested before `browser`, so that these queries run before Playwright's loop starts."""
    assert len(WORD) >= 60 and len(HANDLE) == 30 and len(ORGANIZER) == 30
    area = Area.objects.create(name=WORD)
    category = Category.objects.create(slug="long-word", name=WORD[:60])
    member = make_member(HANDLE, area=area)
    volunteer = make_member("vic", area=area)
    organizer = make_member(ORGANIZER, area=area, organizer=True, roles=[Role.TRIAGER])

    def ask(summary):
        return services.need_post(
            requester=member,
            category=category,
            area=area,
            summary=summary,
            details=f"{WORD} {LINK}",
            urgency=Urgency.TODAY,
        )

    ask(f"On the board: {WORD}")
    talked = ask(f"Talked about: {WORD}")
    services.need_claim(need=talked, member=volunteer)
    services.message_send(need=talked, sender=volunteer, body=f"{WORD} — see {LINK}")
    services.offer_post(
        offerer=member,
        categories=[category],
        areas=[area],
        summary=f"I offer {WORD}",
        kind=OfferKind.ONE_OFF,
    )
    NetworkSettings.objects.filter(pk=NetworkSettings.load().pk).update(triage_first=True)
    ask(f"Waiting for triage: {WORD}")
    declined = ask(f"Turned down: {WORD}")
    triage.decline(need=declined, by=organizer, reason=WORD, resources=f"Try {LINK}")
    return {"member": member, "talked": talked, "declined": declined}


def test_no_page_is_wider_than_a_phone(long_words, browser, live_server):
    member, talked, declined = (long_words[key] for key in ("member", "talked", "declined"))
    wide = {}

    def measure(visit, name, path, shows=WORD, within="main"):
        visit.goto(path)
        page = visit.page
        assert shows in page.locator(within).inner_text(), f"{name} ({path}) lacks {shows}"
        found = page.evaluate(MEASURE, WIDTH)
        if found["scrollWidth"] > WIDTH:
            wide[name] = found
        photo = re.sub(r"[^a-z]+", "-", name.lower()).strip("-")
        page.screenshot(path=SCREENSHOTS / f"long-words-{photo}.png", full_page=True)

    neighbor = Visit(browser, live_server, None, [], HANDLE, javascript=False)
    neighbor.log_in(HANDLE)
    for name, path, shows in [
        ("the board", "/needs/", WORD),
        ("the offers board", "/offers/", WORD),
        ("a need's page, with the message", f"/needs/{talked.code}/", LINK),
        ("a turned-down need's page, with the link", f"/needs/{declined.code}/", LINK),
        ("my needs", "/me/needs/", WORD),
        ("my offers", "/me/offers/", WORD),
        ("the account page", "/me/account/", WORD),
    ]:
        measure(neighbor, name, path, shows)

    organizer = Visit(browser, live_server, None, [], ORGANIZER, javascript=False)
    organizer.log_in(ORGANIZER)
    for name, path in [
        ("the dispatch queue", "/organize/dispatch/"),
        ("the triage queue", "/organize/triage/"),
        ("search results", f"/organize/search/?q={WORD}"),
        ("a member's page", f"/organize/members/{member.code}/"),
        ("the areas' table", "/network/areas/"),
    ]:
        measure(organizer, name, path)
    measure(organizer, "the Organize home", "/organize/", shows=ORGANIZER, within="header")
    measure(
        organizer, "the organizers' table", "/network/organizers/", shows=ORGANIZER, within="table"
    )

    assert wide == {}, f"wider than {WIDTH} px at a phone's width: {wide}"

    # Whoever is not logged in is sent to log in, and sees none of it.
    outsider = Visit(browser, live_server, None, [], "outsider", javascript=False)
    for path in ("/needs/", f"/organize/members/{member.code}/"):
        outsider.goto(path)
        assert outsider.page.url == f"{live_server.url}/accounts/login/?next={path}"
        assert WORD not in outsider.page.content()
