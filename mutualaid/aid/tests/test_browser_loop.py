"""The whole loop in a real browser, as two neighbors: from asking for help to a confirmed close.

The requester browses with JavaScript switched off, so every step they take (signing up, posting,
replying, confirming) goes through plain forms and full page loads. The volunteer browses with
JavaScript on, so their steps (claiming, writing, marking done) go through htmx swaps of the need's
panel, and the test proves that the page is not reloaded under them. The requester then keeps the
page open in a second browser, JavaScript on: the volunteer's next message and their "done" appear
on it by themselves, while the reply she is halfway through typing stays in her box. An outsider
then gets a 404.

Every page visited is checked with axe-core (no "serious" or "critical" violations) and
photographed at a phone's width into var/screenshots/.

axe-core is not vendored: `make test` fetches it into var/axe/axe.min.js with npm pack.
"""

import json
import re

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from mutualaid.aid.models import Category, EventKind, Need, NeedStatus
from mutualaid.test import PASSWORD, make_areas, make_member

pytestmark = [
    pytest.mark.browser,
    # The live server sees only committed rows, hence a transactional database. Its flush after
    # each test would wipe the categories seeded by migration (and, unless serialized, recreate
    # the content types that a serialized test after this one then loads twice): put them back.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = settings.BASE_DIR / "var" / "axe" / "axe.min.js"
SCREENSHOTS = settings.BASE_DIR / "var" / "screenshots"
PHONE = {"viewport": {"width": 375, "height": 800}, "is_mobile": True, "has_touch": True}
# Impacts that fail the test; the milder ones are reported in var/screenshots/axe.json.
BLOCKING = {"serious", "critical"}

SUMMARY = "Groceries for a family of four"
DETAILS = "Flat 3B, ring twice. Allergic to peanuts."
HELLO = "Hi! I can bring them tomorrow after 5. Anything besides the list?"
REPLY = "Thank you! Some bread too, please."
NEWS = "At the shop now: they only have rye bread. Is that all right?"
HALF = "Rye is fine"
REST = ", thank you!"
# The open page asks every 4 seconds: an update shows within two rounds.
UPDATED = 10_000

RUN_AXE = """async () => {
  const late = new Promise((_, fail) => setTimeout(() => fail(new Error("axe.run hung")), 30000));
  const result = await Promise.race([axe.run(document, {resultTypes: ["violations"]}), late]);
  const brief = v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
  });
  return {violations: result.violations.map(brief), incomplete: result.incomplete.map(brief)};
}"""
# ARIA references to ids that are not on the page: the help or error a screen reader never reads.
DANGLING_REFERENCES = """() => [
  ...document.querySelectorAll("[aria-describedby], [aria-labelledby]"),
].flatMap(element => ["aria-describedby", "aria-labelledby"].flatMap(name =>
    (element.getAttribute(name) || "").split(/\\s+/)
      .filter(id => id && !document.getElementById(id))
      .map(id => `<${element.localName} id=${element.id}> ${name}=${id}`)))"""


@pytest.fixture
def axe_source():
    if not AXE.is_file():
        pytest.fail(
            f"axe-core is missing at {AXE}. `make test` fetches it; by hand: "
            "cd /tmp && npm pack axe-core@4.14.1 && tar xzf axe-core-4.14.1.tgz && "
            f"mkdir -p {AXE.parent} && cp package/axe.min.js {AXE}",
            pytrace=False,
        )
    return AXE.read_text()


@pytest.fixture
def neighborhood(transactional_db):
    """Areas and the two members who do not sign up in the test (categories come seeded).

    Requested before `browser`, so that these queries run before Playwright's loop starts."""
    assert Category.objects.filter(name="Groceries").exists(), "the seeded categories are gone"
    _, central, south, _ = make_areas()
    make_member("vic", area=central)  # the volunteer; the requester signs up in the test
    make_member("otto", area=south)  # the outsider


@pytest.fixture
def browser(transactional_db, live_server, monkeypatch):
    # Playwright's sync API keeps an event loop running in this thread, and Django refuses ORM
    # calls from a thread with a running loop; the test's own queries are plain synchronous ones
    # (Django's documented way out: https://docs.djangoproject.com/en/5.2/topics/async/).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        # While a loop runs, asgiref keeps Django's connections per context instead of per
        # thread, so the test's queries opened a second connection. Close it, or the test
        # database cannot be dropped (PostgreSQL: "... is being accessed by other users").
        connections.close_all()
        chromium.close()


class Visit:
    """One person's browser: checks every page with axe and photographs it."""

    def __init__(self, browser, live_server, axe_source, findings, name, *, javascript=True):
        self.context = browser.new_context(
            base_url=live_server.url, java_script_enabled=javascript, **PHONE
        )
        self.page = self.context.new_page()
        # axe waits on timers, which never fire in a page without JavaScript: such a page is
        # audited as a copy, its exact HTML served again to a page of a JavaScript-enabled context.
        self.auditor = None if javascript else browser.new_context(**PHONE).new_page()
        self.name = name
        self.axe_source = axe_source
        self.findings = findings
        self.errors = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", self._console)
        self.page.on("response", self._response)

    def _console(self, message):
        # A page answered 4xx is logged as "Failed to load resource": the steps check statuses.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")

    def _response(self, response):
        # A stylesheet or a script that fails to load; the site has no icon yet (Chromium asks).
        asset = response.request.resource_type != "document"
        if asset and response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.errors.append(f"{response.status} for {response.url}")

    def goto(self, path, status=200):
        response = self.page.goto(path)
        assert response.status == status, f"{self.name}: GET {path} answered {response.status}"

    def check(self, step):
        """axe the page as it is now, and take its picture."""
        page = self.page
        page.screenshot(path=SCREENSHOTS / f"{step}.png", full_page=True)
        if self.auditor is not None:
            page = self._copy_into_auditor()
        if not page.evaluate("typeof axe !== 'undefined'"):
            # Evaluated, not added as a <script> tag: the site's CSP will refuse inline scripts.
            page.evaluate(self.axe_source)
        axe = page.evaluate(RUN_AXE)
        violations = axe["violations"]
        self.findings.append(
            {
                "step": step,
                "who": self.name,
                "url": page.url,
                "violations": violations,
                "needs_review": axe["incomplete"],
                "dangling_aria_references": page.evaluate(DANGLING_REFERENCES),
            }
        )
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        assert not blocking, f"{step} ({page.url}) is not accessible:\n" + "\n".join(
            f"  [{v['impact']}] {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in blocking
        )

    def _copy_into_auditor(self):
        html = self.page.content()
        url = self.page.url.split("#")[0]

        def serve_copy(route):
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

        self.auditor.route(url, serve_copy)
        self.auditor.goto(url)
        self.auditor.unroute(url, serve_copy)
        return self.auditor

    def log_in(self, handle):
        self.goto("/accounts/login/")
        self.page.get_by_label("Handle").fill(handle)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Log in").click()
        expect(self.page.get_by_role("button", name=f"Log out {handle}")).to_be_visible()


def test_two_neighbors_walk_a_need_from_asking_to_a_confirmed_close(
    neighborhood, browser, live_server, axe_source
):
    findings = []
    try:
        _walk_the_loop(browser, live_server, axe_source, findings)
    finally:
        (SCREENSHOTS / "axe.json").write_text(json.dumps(findings, indent=2))


def _walk_the_loop(browser, live_server, axe_source, findings):
    # 1. The requester, JavaScript off, joins and asks for help with plain forms.
    rosa = Visit(browser, live_server, axe_source, findings, "rosa", javascript=False)
    page = rosa.page
    rosa.goto("/")
    rosa.check("01-home")
    page.get_by_role("link", name="Join and ask for help").click()
    expect(page.get_by_role("heading", name="Join the network")).to_be_visible()
    rosa.check("02-signup")
    with page.expect_response("**/accounts/signup/") as refused:
        page.get_by_role("button", name="Join").click()
    assert refused.value.status == 422
    expect(page.get_by_role("alert")).to_contain_text("Please fix the marked fields.")
    rosa.check("03-signup-errors")
    page.get_by_label("Handle").fill("rosa")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Your area (optional)").select_option(label="Northside")
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("Welcome, rosa.")).to_be_visible()
    expect(page.get_by_role("heading", name="Open needs")).to_be_visible()
    rosa.check("04-board-empty")

    page.get_by_role("link", name="Ask for help").click()
    expect(page.get_by_role("heading", name="Ask for help")).to_be_visible()
    page.get_by_role("radio", name="Groceries").check()
    page.get_by_label("Public summary").fill(SUMMARY)
    expect(page.get_by_label("Area", exact=True)).to_have_value(
        page.get_by_role("option", name="Northside").get_attribute("value")
    )
    page.get_by_role("radio", name="In 1–2 days").check()
    page.get_by_label("Private details (optional)").fill(DETAILS)
    rosa.check("05-ask-for-help-filled")
    page.get_by_role("button", name="Post my need").click()
    expect(page.get_by_text("Your need is posted.")).to_be_visible()
    expect(page.get_by_role("heading", name=SUMMARY, level=1)).to_be_visible()
    expect(_status(page)).to_have_text("Open")
    need_path = re.search(r"/needs/[0-9a-f-]{36}/$", page.url).group(0)
    rosa.check("06-need-posted")

    # 2. The volunteer, JavaScript on, finds the need on the board and takes it: an htmx swap.
    vic = Visit(browser, live_server, axe_source, findings, "vic")
    page = vic.page
    vic.log_in("vic")
    expect(page.get_by_role("heading", name="Open needs")).to_be_visible()
    card = page.locator("#results .card").filter(has_text=SUMMARY)
    expect(card).to_contain_text("Northside")  # a neighboring area of vic's own, Central
    vic.check("07-board-with-need")
    card.get_by_role("link", name=SUMMARY).click()
    page.wait_for_url(f"**{need_path}")
    expect(page.get_by_role("heading", name="Private details")).to_have_count(0)
    expect(page.get_by_text(DETAILS)).to_have_count(0)
    vic.check("08-need-before-claim")

    # Whatever happens next must happen inside this page, not on a new one.
    page.evaluate("window.stillTheSamePage = true")
    loads = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.request.headers.get("hx-request") == "true"
    ) as claimed:
        page.get_by_role("button", name="I can help").click()
    assert claimed.value.status == 200
    expect(page.get_by_text("It's yours. Say hello to them below.")).to_be_visible()
    expect(page.get_by_role("heading", name="Private details")).to_be_visible()
    expect(page.get_by_text(DETAILS)).to_be_visible()
    expect(_status(page)).to_have_text("Claimed")
    vic.check("09-claimed-htmx")

    page.get_by_role("textbox", name="Message").fill(HELLO)
    page.get_by_role("button", name="Send").click()
    expect(_messages(page)).to_have_count(1)
    expect(_messages(page).first).to_contain_text(HELLO)
    expect(_messages(page).first).to_contain_text("You")
    expect(page.get_by_role("textbox", name="Message")).to_have_value("")
    vic.check("10-volunteer-said-hello")
    assert page.evaluate("window.stillTheSamePage") is True, "the page was reloaded"
    assert loads == [], f"htmx should have swapped the panel, but the page loaded {loads}"

    # 3. The requester reads it and replies: a plain form post and a redirect.
    page = rosa.page
    rosa.goto(need_path)
    expect(_status(page)).to_have_text("Claimed")
    expect(_messages(page).first).to_contain_text("vic")
    expect(_messages(page).first).to_contain_text(HELLO)
    page.get_by_role("textbox", name="Message").fill(REPLY)
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    assert page.url.endswith(f"{need_path}#conversation")
    expect(_messages(page)).to_have_count(2)
    expect(_messages(page).nth(1)).to_contain_text(REPLY)
    rosa.check("11-requester-replied")

    # 4. The requester keeps the page open, JavaScript on this time, and starts another reply.
    live = Visit(browser, live_server, axe_source, findings, "rosa-live")
    live.log_in("rosa")
    live.goto(need_path)
    expect(_messages(live.page)).to_have_count(2)
    live.page.evaluate("window.stillTheSamePage = true")
    live_loads = []
    live.page.on(
        "framenavigated",
        lambda frame: frame == live.page.main_frame and live_loads.append(frame.url),
    )
    box = live.page.get_by_role("textbox", name="Message")
    box.click()
    box.press_sequentially(HALF)

    # The volunteer sees the reply (without reloading either) and writes again.
    page = vic.page
    expect(_messages(page)).to_have_count(2, timeout=UPDATED)
    expect(_messages(page).nth(1)).to_contain_text("rosa")
    expect(_messages(page).nth(1)).to_contain_text(REPLY)
    page.get_by_role("textbox", name="Message").fill(NEWS)
    page.get_by_role("button", name="Send").click()
    expect(_messages(page)).to_have_count(3)

    # The message appears on the requester's open page by itself; her words and her cursor stay.
    page = live.page
    expect(_messages(page)).to_have_count(3, timeout=UPDATED)
    expect(_messages(page).nth(2)).to_contain_text("vic")
    expect(_messages(page).nth(2)).to_contain_text(NEWS)
    expect(box).to_have_value(HALF)
    expect(box).to_be_focused()
    live.check("12-requester-page-updated-itself")
    box.press_sequentially(REST)
    page.get_by_role("button", name="Send").click()
    expect(_messages(page)).to_have_count(4)
    expect(_messages(page).nth(3)).to_contain_text(HALF + REST)
    expect(box).to_have_value("")

    # 5. The volunteer's page shows her answer by itself, and they mark the need done: the
    #    requester's open page says so without a reload.
    page = vic.page
    expect(_messages(page)).to_have_count(4, timeout=UPDATED)
    expect(_messages(page).nth(3)).to_contain_text(HALF + REST)
    asked = []  # "Mark it done" asks first, in a dialog (hx-confirm): they say yes
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Mark it done").click()
    expect(page.get_by_text("Marked done. Thank you! They will confirm.")).to_be_visible()
    expect(_status(page)).to_have_text("Marked done")
    expect(page.get_by_role("button", name="Mark it done")).to_have_count(0)
    assert asked == ["Is it done? They will be asked to confirm it."], asked
    assert page.evaluate("window.stillTheSamePage") is True, "the page was reloaded"
    assert loads == [], f"htmx should have swapped the panel, but the page loaded {loads}"
    vic.check("13-volunteer-marked-done")
    page = live.page
    expect(_status(page)).to_have_text("Marked done", timeout=UPDATED)
    expect(page.get_by_text("Your volunteer marked this done. Was it?")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True, "the requester's page was reloaded"
    assert live_loads == [], f"the requester's page should update itself, it loaded {live_loads}"

    # 6. The requester confirms (JavaScript off again), and the timeline tells the whole story.
    page = rosa.page
    rosa.goto(need_path)
    expect(page.get_by_text("Your volunteer marked this done. Was it?")).to_be_visible()
    rosa.check("14-requester-asked-to-confirm")
    page.get_by_role("button", name="Yes, it's done").click()
    expect(page.get_by_text("Confirmed. We are glad it worked out.")).to_be_visible()
    expect(_status(page)).to_have_text("Closed")
    expect(page.locator(".actions button")).to_have_count(0)
    expect(page.locator(".timeline li")).to_have_text(
        [
            re.compile(r"You posted the need$"),
            re.compile(r"vic offered to help$"),
            re.compile(r"vic sent a message$"),
            re.compile(r"You sent a message$"),
            re.compile(r"vic sent a message$"),
            re.compile(r"You sent a message$"),
            re.compile(r"vic marked it done$"),
            re.compile(r"You confirmed it was done$"),
        ]
    )
    rosa.check("15-closed")
    need = Need.objects.get(summary=SUMMARY)
    assert need.status == NeedStatus.CLOSED
    assert list(need.events.values_list("kind", flat=True)) == [
        EventKind.NEED_POSTED,
        EventKind.NEED_CLAIMED,
        EventKind.MESSAGE_SENT,
        EventKind.MESSAGE_SENT,
        EventKind.MESSAGE_SENT,
        EventKind.MESSAGE_SENT,
        EventKind.NEED_FULFILLED,
        EventKind.NEED_CONFIRMED,
    ]

    # Once it is closed, the volunteer keeps the record but no longer the private details.
    page = vic.page
    page.reload()
    expect(_status(page)).to_have_text("Closed")
    expect(page.get_by_text(DETAILS)).to_have_count(0)
    expect(page.get_by_text(REPLY)).to_have_count(0)

    # An outsider is told nothing, not even that the need exists.
    otto = Visit(browser, live_server, axe_source, findings, "otto")
    otto.log_in("otto")
    otto.goto(need_path, status=404)
    expect(otto.page.get_by_text(SUMMARY)).to_have_count(0)
    otto.check("16-outsider-404")

    for person in (rosa, vic, live):
        assert not person.errors, f"{person.name}'s browser reported errors: {person.errors}"


def _status(page):
    return page.locator("#need-panel strong.status")


def _messages(page):
    return page.locator("#conversation ol.messages > li")


def test_form_fields_lead_screen_readers_to_their_help_and_errors(browser, live_server):
    page = browser.new_context(base_url=live_server.url, **PHONE).new_page()
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Join").click()  # empty: the fields show their errors
    expect(page.get_by_role("alert")).to_contain_text("Please fix the marked fields.")
    assert page.evaluate(DANGLING_REFERENCES) == []
