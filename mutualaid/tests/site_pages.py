"""Every page of the site, and who sees it: the inventory the page-wide checks walk.

``seed()`` builds a small network through the services: a member for each persona, a need in each
state, an offer, a caller organizers speak for, a report, a message to the organizers, an
invitation, a block. ``PAGES`` lists each page a GET shows, with the record its address names
and the personas who see it (as 200, at that address). ``SKIPPED`` lists, with the reason, each
URL name that is not a page of its own. A URL name in neither fails test_site_pages.py, so a new
page is audited from the day it is added.

The personas are the people the site is for: a visitor, a newcomer (not vouched yet), a volunteer
and a requester (vouched members), and one member for each organizer role, holding that role
alone. Which organizers see a page comes from the role policy (accounts/policy.py), never from a
role's name here.

Used by test_site_pages.py (the inventory, and each page's weight, with the test client) and
test_browser_axe.py (every page in a browser: axe-core, interactive states, JavaScript off).
"""

import gzip
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.staticfiles import finders
from django.urls import URLResolver, get_resolver, reverse

from mutualaid.accounts.models import Level, Role
from mutualaid.accounts.policy import ROLE_CAPABILITIES, Capability
from mutualaid.accounts.services import member_block, notices_mark_read
from mutualaid.aid import resources, services, triage
from mutualaid.aid.models import Category, OfferKind, Urgency, Visibility
from mutualaid.dispatch import contact, intake
from mutualaid.network.models import NetworkSettings
from mutualaid.notifications.content import unsubscribe_token
from mutualaid.safety import services as safety
from mutualaid.safety.models import Outcome, Reason
from mutualaid.spreadsheets.kinds import KINDS
from mutualaid.spreadsheets.services import upload_create
from mutualaid.test import make_areas, make_member
from mutualaid.trust import services as trust

# Persona -> (handle, organizer role). Handles of one length, so that the pages two personas see
# alike are alike to the letter (test_browser_axe.py audits such a page once per width and
# language).
ROLES = {
    "triager": Role.TRIAGER,
    "dispatcher": Role.DISPATCHER,
    "safety": Role.SAFETY,
    "admin": Role.ADMIN,
}
HANDLES = {
    "newcomer": "nell",
    "volunteer": "vick",
    "requester": "rosa",
    "triager": "tiaa",
    "dispatcher": "dexx",
    "safety": "solo",
    "admin": "adam",
    "suspended": "sidd",
}
ORGANIZERS = tuple(ROLES)
VOUCHED = ("volunteer", "requester", *ORGANIZERS)
MEMBERS = ("newcomer", *VOUCHED)
EVERYONE = ("visitor", *MEMBERS)
# A suspended member reaches their account, notices and data; every other page says why not.
PERSONAS = (*EVERYONE, "suspended")


def able(*capabilities: str) -> tuple[str, ...]:
    """The organizer personas whose role carries any of ``capabilities`` (accounts/policy.py)."""
    return tuple(
        persona
        for persona, role in ROLES.items()
        if any(capability in ROLE_CAPABILITIES[role] for capability in capabilities)
    )


@dataclass(frozen=True)
class Page:
    """One page: the URL's name, who sees it, and what its address names."""

    name: str
    personas: tuple[str, ...]
    record: str | None = None  # the seeded record the address names (see Network.kwargs)
    query: str = ""
    # When one URL shows several pages (a need in each state), which one this is.
    label: str = ""
    status: int = 200
    # A link that redirects: the URL name of the page it lands on, which is the page audited.
    lands_on: str = ""

    @property
    def key(self) -> str:
        return f"{self.name} [{self.label}]" if self.label else self.name


C = Capability
NEED_READERS = ("requester", *able(C.SEE_ALL_NEEDS))
# fmt: off
PAGES = [
    # The public pages: the same for everyone (a logged-in member sees their menu on them).
    Page("home", ("visitor", *VOUCHED)),  # a newcomer goes to the board instead
    Page("about", EVERYONE),
    Page("dispatch:contact", EVERYONE),
    Page("dispatch:contact_sent", EVERYONE),
    Page("accounts:signup", EVERYONE),
    Page("accounts:login", EVERYONE),
    Page("accounts:password_reset", EVERYONE),
    # The e-mailed link puts its token in the session and lands on the form to set a password.
    Page("accounts:password_reset_link", ("visitor",), record="reset link",
         lands_on="accounts:password_reset_set"),
    Page("accounts:password_reset_set", ("visitor",), record="requester", label="invalid link"),
    Page("accounts:take_over", EVERYONE),
    Page("trust:join", EVERYONE, record="invite"),
    Page("notifications:unsubscribe", EVERYONE, record="unsubscribe link"),
    # A member's own pages.
    Page("accounts:account", (*MEMBERS, "suspended")),
    Page("accounts:password_change", MEMBERS),
    Page("accounts:notices", (*MEMBERS, "suspended")),
    Page("privacy:export", (*MEMBERS, "suspended")),
    Page("privacy:accesses", MEMBERS),
    Page("privacy:delete", MEMBERS),
    Page("notifications:preferences", MEMBERS),
    Page("aid:volunteer_limits", MEMBERS),
    Page("aid:my_needs", MEMBERS),
    Page("aid:my_claims", MEMBERS),
    Page("aid:my_offers", MEMBERS),
    Page("trust:vouch", MEMBERS),
    Page("trust:my_vouches", MEMBERS),
    Page("trust:get_vouched", MEMBERS),
    Page("trust:invites", MEMBERS),
    Page("safety:blocks", MEMBERS),
    Page("safety:report_member", MEMBERS),
    # Needs and offers.
    Page("aid:board", MEMBERS),
    Page("aid:board", ("suspended",), label="suspended", status=403),
    Page("aid:need_new", MEMBERS),
    Page("aid:need", MEMBERS, record="open", label="open"),
    Page("aid:need", NEED_READERS, record="triage", label="waiting for triage, asked more"),
    Page("aid:need", ("volunteer", *NEED_READERS), record="proposed",
         label="organizers only, proposed"),
    Page("aid:need", ("volunteer", *NEED_READERS), record="claimed",
         label="claimed, with messages and a contact"),
    Page("aid:need", ("volunteer", *NEED_READERS), record="fulfilled", label="marked done"),
    Page("aid:need", ("volunteer", *NEED_READERS), record="closed", label="closed"),
    Page("aid:need", NEED_READERS, record="cancelled", label="cancelled"),
    Page("aid:need", NEED_READERS, record="turned down", label="turned down"),
    Page("aid:need_edit", ("requester",), record="open"),
    Page("aid:offer_board", MEMBERS),
    Page("aid:offer_new", MEMBERS),
    Page("aid:offer", MEMBERS, record="offer"),
    Page("safety:report_need", MEMBERS, record="open"),
    Page("safety:report_offer", ("newcomer", "requester", *ORGANIZERS), record="offer"),
    Page("safety:report_message", ("requester", *able(C.READ_PRIVATE)), record="message"),
    Page("safety:feedback", ("requester",), record="closed"),
    # The organizers' pages, each for the roles the policy lets in.
    Page("dispatch:organize", ORGANIZERS),
    Page("dispatch:queue", able(C.MATCH)),
    Page("dispatch:stalled", able(C.MATCH)),
    Page("dispatch:search", able(C.SEE_ALL_NEEDS), query="?q=groceries"),
    Page("dispatch:needs_text", able(C.MATCH)),
    Page("dispatch:triage", able(C.TRIAGE)),
    Page("dispatch:intake", able(C.INTAKE)),
    Page("dispatch:intake_done", able(C.INTAKE), record="caller's need"),
    Page("dispatch:relay", able(C.INTAKE)),
    Page("dispatch:relay_caller", able(C.INTAKE), record="caller"),
    Page("dispatch:relay_reference", able(C.INTAKE), record="caller"),
    Page("dispatch:relay_need", able(C.INTAKE), record="caller's need"),
    Page("dispatch:member", able(C.VIEW_TRUST), record="requester"),
    Page("dispatch:suggestions", able(C.MATCH), record="open"),
    Page("dispatch:backlog", able(C.MATCH)),
    Page("dispatch:contact_inbox", able(contact.READERS)),
    Page("safety:feedback_list", able(C.MATCH, C.HANDLE_REPORTS)),
    Page("safety:report_queue", able(C.HANDLE_REPORTS)),
    Page("safety:report_detail", able(C.HANDLE_REPORTS), record="report"),
    Page("trust:tree", able(C.VIEW_TRUST)),
    Page("trust:tree_branch", able(C.VIEW_TRUST), record="volunteer"),
    Page("trust:member", able(C.VIEW_TRUST), record="requester"),
    Page("trust:organizers", able(C.GRANT_ROLES)),
    Page("network:settings", able(C.CONFIGURE)),
    Page("notifications:organizer_hook", able(C.CONFIGURE)),
    Page("areas:areas", able(C.CONFIGURE)),
    Page("areas:area", able(C.CONFIGURE), record="area"),
    Page("aid:categories", able(C.CONFIGURE)),
    # The API's pages (mutualaid/api): a member's tokens, the network's integration tokens, and
    # how the API works (for everyone).
    Page("api:token_new", MEMBERS),
    Page("api:integrations", able(C.CONFIGURE)),
    Page("api:docs", EVERYONE),
    # The resource directory: public (a suspended member still finds where else to turn), and
    # kept by the organizers the policy lets edit it.
    Page("aid:resources", PERSONAS),
    Page("aid:resources_kept", able(C.EDIT_RESOURCES)),
    Page("aid:resource_new", able(C.EDIT_RESOURCES)),
    Page("aid:resource_edit", able(C.EDIT_RESOURCES), record="resource"),
    # The network's figures: for the organizers who read them, and a public page of a quarter's.
    Page("figures:dashboard", able(C.VIEW_FIGURES)),
    Page("figures:equity", able(C.VIEW_FIGURES)),
    Page("figures:impact", EVERYONE),
    # Moving over from spreadsheets: the upload page, for whoever may import a kind of row, and
    # one upload's columns to match, for its uploader alone.
    Page("spreadsheets:import", able(*{kind.capability for kind in KINDS.values()})),
    Page("spreadsheets:upload", ("dispatcher",), record="upload", label="columns to match"),
]
# fmt: on
# The error pages, which no URL name shows: a page that does not exist, and one refused.
ERROR_PAGES = [
    Page("404", ("visitor", "volunteer"), status=404),
    Page("403", ("newcomer",), status=403),
]

POST_ONLY = "takes POST only: an action that redirects (tested to answer a GET with 405)"
API = "the JSON API (mutualaid/api): answers JSON to a token, never a page"
DOWNLOAD = "a download (a CSV file), not a page: the page that links to it is audited"
# URL names that are not pages: the reason, and for POST-only ones POST_ONLY (the test holds
# each to a 405 for a GET).
SKIPPED = {
    "healthz": "the health probe: JSON for the load balancer and the monitor, not a page",
    "aid:need_changed": "the need page's poll (htmx, every 4 s): a fragment of aid:need, which is "
    "audited whole in each state",
    **{
        f"api:{name}": API
        for name in (
            "needs",
            "need",
            "need_claim",
            "need_release",
            "need_fulfil",
            "need_confirm",
            "need_reopen",
            "need_cancel",
            "need_accept",
            "need_decline",
            "need_keep",
            "need_messages",
            "need_repost",
            "need_contact",
            "need_assign",
            "offers",
            "offer",
            "offer_withdraw",
            "offer_match",
            "me",
            "my_needs",
            "my_claims",
            "my_proposals",
            "my_offers",
            "resources",
            "figures",
            "openapi",
            "unknown",
        )
    },
    "api:token_revoke": POST_ONLY,
    **{
        name: DOWNLOAD
        for name in (
            "figures:export",
            "figures:impact_export",
            "spreadsheets:upload_rejected",
            "spreadsheets:export_needs",
            "spreadsheets:export_offers",
            "spreadsheets:export_resources",
        )
    },
    "api:integration_revoke": POST_ONLY,
    **{
        name: POST_ONLY
        for name in (
            "accounts:logout",
            "accounts:set_language",
            "figures:refresh",
            "accounts:notices_read",
            "aid:need_message",
            "aid:need_assign",
            "aid:need_repost",
            "aid:need_contact_share",
            "aid:need_contact_unshare",
            "aid:need_claim",
            "aid:need_release",
            "aid:need_fulfil",
            "aid:need_confirm",
            "aid:need_reopen",
            "aid:need_cancel",
            "aid:need_accept",
            "aid:need_decline",
            "aid:need_keep",
            "aid:need_triage_publish",
            "aid:need_triage_priority",
            "aid:need_triage_change",
            "aid:need_triage_ask",
            "aid:need_triage_merge",
            "aid:need_triage_turn_down",
            "aid:need_note",
            "aid:need_answer",
            "aid:offer_withdraw",
            "aid:offer_match",
            "aid:category_rename",
            "aid:category_move",
            "aid:resource_archive",
            "aid:resource_restore",
            "trust:role_remove",
            "trust:vouch_request",
            "trust:vouch_requests_hear",
            "trust:vouch_revoke",
            "trust:member_approve",
            "trust:member_approval_withdraw",
            "trust:member_unsuspend",
            "safety:report_handle",
            "safety:member_suspend",
            "safety:unblock",
            "safety:block_from_message",
            "dispatch:relay_reply",
            "dispatch:relay_act",
            "dispatch:relay_answer",
            "dispatch:suggestion_propose",
            "dispatch:backlog_send",
            "dispatch:contact_handle",
        )
    },
}


def url_names(resolver=None, namespace="") -> list[str]:
    """Every URL name in the URL conf, namespaced; an unnamed pattern by its route."""
    names = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names += url_names(entry, inner)
        else:
            names.append(f"{namespace}{entry.name}" if entry.name else f"(unnamed) {entry.pattern}")
    return names


def uncovered() -> list[str]:
    """URL names neither in PAGES nor in SKIPPED: pages nobody audits yet."""
    known = {page.name for page in PAGES} | set(SKIPPED)
    return [name for name in dict.fromkeys(url_names()) if name not in known]


class Network:
    """The seeded network: ``members`` by persona (the visitor is None), ``records`` by name."""

    def __init__(self, members: dict, records: dict):
        self.members = members
        self.records = records

    def kwargs(self, record: str | None) -> dict:
        if record is None:
            return {}
        if record == "reset link":
            member = self.records["requester"]
            member.refresh_from_db()  # a token made after the last log-in
            return {"code": member.code, "token": default_token_generator.make_token(member)}
        if record == "unsubscribe link":
            return {"token": unsubscribe_token(self.records["requester"], "need_claimed")}
        return {"code": self.records[record].code}

    def path(self, page: Page) -> str:
        if page.name == "404":
            return "/no/such/page/"
        if page.name == "403":
            return reverse("dispatch:organize")
        return reverse(page.name, kwargs=self.kwargs(page.record)) + page.query

    def visits(self, persona: str) -> list[Page]:
        """The pages ``persona`` sees, in the inventory's order."""
        return [page for page in PAGES + ERROR_PAGES if persona in page.personas]


def seed() -> Network:
    """The network the inventory's pages show, written through the services."""
    north, central, _south, _far = make_areas()
    groceries = Category.objects.get(slug="groceries")
    members = {"visitor": None}
    for persona, handle in HANDLES.items():
        level = Level.NEWCOMER if persona == "newcomer" else Level.VOUCHED
        area = central if persona in ("volunteer", *ORGANIZERS) else north
        roles = [ROLES[persona]] if persona in ROLES else []
        members[persona] = make_member(handle, area=area, level=level, roles=roles)
    requester, volunteer = members["requester"], members["volunteer"]
    dispatcher, triager = members["dispatcher"], members["triager"]

    def need(summary, **fields):
        return services.need_post(
            requester=requester,
            category=groceries,
            area=north,
            summary=summary,
            details="Second floor, ring twice. Allergic to peanuts.",
            urgency=Urgency.SOON,
            **fields,
        )

    def claimed(summary, **fields):
        taken = need(summary, **fields)
        services.need_claim(need=taken, member=volunteer)
        services.message_send(need=taken, sender=volunteer, body="I can come at six.")
        services.message_send(need=taken, sender=requester, body="Six is fine, thank you!")
        taken.refresh_from_db()
        return taken

    records = {"requester": requester, "volunteer": volunteer, "area": north}
    records["open"] = need("Groceries for a family of four")
    records["claimed"] = claimed("A lift to the clinic on Friday")
    services.contact_share(
        need=records["claimed"], member=requester, kind="text", value="Ask at the corner shop."
    )
    records["message"] = records["claimed"].claims.get().messages.get(sender=volunteer)
    records["fulfilled"] = claimed("Help carrying a sofa upstairs")
    services.need_mark_fulfilled(need=records["fulfilled"], member=volunteer)
    records["closed"] = closed = claimed("Soup for a neighbor with the flu")
    services.need_mark_fulfilled(need=closed, member=volunteer)
    services.need_confirm(need=closed, member=requester)
    safety.feedback_give(need=closed, member=volunteer, outcome=Outcome.YES, unsafe=False)
    records["cancelled"] = need("Bread from the bakery")
    services.need_cancel(need=records["cancelled"], member=requester)
    records["proposed"] = need("Diapers, size 4", visibility=Visibility.ORGANIZERS)
    services.need_assign(need=records["proposed"], volunteer=volunteer, organizer=dispatcher)
    NetworkSettings.objects.update(triage_first=True)
    records["triage"] = need("Someone to walk my dog this week")
    triage.ask_more(need=records["triage"], by=triager, question="Which mornings suit you?")
    records["turned down"] = need("Fix my car's gearbox")
    triage.decline(
        need=records["turned down"], by=triager, reason="Out of scope", resources="The garage"
    )
    # Where else to turn: one resource of the directory, shown on the turned-down need too.
    records["resource"] = resources.resource_create(
        by=triager,
        name="Northside Food Bank",
        kind="food_bank",
        hours="Tuesdays 10 to 4",
        phone="212 555 0142",
        areas=[north],
        categories=[groceries],
    )
    records["caller's need"], _code = intake.need_take_in(
        organizer=dispatcher,
        category=groceries,
        area=north,
        summary="Milk and eggs",
        urgency=Urgency.TODAY,
        handle="caller-on-elm",
        contact_kind="phone",
        contact="415 555 2671",
        consent=True,
    )
    NetworkSettings.objects.update(triage_first=False)
    records["caller"] = records["caller's need"].requester
    # The caller lost their code once: the page that gives a new one lists who gave that one.
    intake.caller_new_reference(organizer=dispatcher, caller=records["caller"].proxy)
    records["offer"] = services.offer_post(
        offerer=volunteer,
        categories=[groceries],
        areas=[north, central],
        summary="I can shop on Saturdays",
        kind=OfferKind.ONGOING,
    )
    records["report"] = safety.report_file(
        reporter=requester, reason=Reason.HARASSMENT, message=records["message"]
    )
    records["invite"] = trust.invite_create(inviter=volunteer, note="We run the food bank.")
    trust.vouch_give(voucher=volunteer, vouchee=members["newcomer"], note="My neighbor.")
    member_block(blocker=requester, blocked=members["newcomer"])
    contact.contact_message_send(
        body="The food bank was closed today.", name="Ana", reply_to="ana@example.org"
    )
    records["upload"] = upload_create(
        by=dispatcher,
        kind="needs",
        data=b"What do you need?,Kind of help,Phone\nGroceries,Groceries,415 555 2671\n",
    )
    trust.member_suspend(member=members["suspended"], by=members["safety"], reason="Spam")
    # The requester has notices waiting (the menu says how many); the others have read theirs.
    for persona, member in members.items():
        if member is not None and persona != "requester":
            notices_mark_read(member=member)
    return Network(members, records)


# First load ---------------------------------------------------------------------------------

# What a page may weigh on its first load: its HTML, and every stylesheet and script it names, as
# served (uncompressed, which is what the browser parses and the stricter figure).
FIRST_LOAD_LIMIT = 100 * 1024


class _Assets(HTMLParser):
    """The stylesheets and scripts a page names."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel and attrs.get("href"):
            self.urls.append(attrs["href"])


# An htmx attribute (hx-get, hx-post, hx-swap-oob...), which does nothing unless htmx is loaded.
HTMX_ATTRIBUTE = re.compile(r"<[^>]*\shx-[a-z-]+[\s=>]")


def uses_htmx(html: str) -> bool:
    return bool(HTMX_ATTRIBUTE.search(html))


def page_assets(html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return parser.urls


def static_file(url: str) -> bytes:
    """The bytes of one of our static files, by its URL, as the static files app finds them."""
    path = urlsplit(url).path
    assert path.startswith(settings.STATIC_URL), f"{url} is not one of our static files"
    found = finders.find(path.removeprefix(settings.STATIC_URL))
    assert found, f"{url} names no static file"
    with open(found, "rb") as file:
        return file.read()


@dataclass
class Weight:
    html: int
    assets: dict[str, int]  # URL -> bytes
    gzipped: int  # the whole, each part compressed on its own

    @property
    def total(self) -> int:
        return self.html + sum(self.assets.values())

    def __str__(self):
        parts = ", ".join(f"{urlsplit(u).path} {n / 1024:.1f}" for u, n in self.assets.items())
        return (
            f"{self.total / 1024:.1f} kB (HTML {self.html / 1024:.1f}, {parts}; "
            f"{self.gzipped / 1024:.1f} kB gzipped)"
        )


def first_load(html: bytes) -> Weight:
    """A page's first load: its HTML, and the static files it names, read as they are served."""
    assets = {url: static_file(url) for url in page_assets(html.decode())}
    return Weight(
        html=len(html),
        assets={url: len(body) for url, body in assets.items()},
        gzipped=sum(len(gzip.compress(body)) for body in [html, *assets.values()]),
    )


# What differs between two renderings of the same page: its forms' one-time tokens, and the path
# the footer's language picker returns to.
ONE_TIME = re.compile(r'(name="(?:csrfmiddlewaretoken|idempotency_key|next)" value=")[^"]*"')
MAIN = re.compile(r"<main\b.*</main>", re.S)
TITLE = re.compile(r"<title>.*?</title>", re.S)


def page_parts(html: str, handle: str | None) -> tuple[str, str]:
    """(the page's <main>, the rest: its header, menu and footer), without what differs between
    two renderings of the same page, and with the viewer's own handle taken out (so that two
    members who see the same page see the same parts)."""
    html = ONE_TIME.sub(r'\1"', html)
    if handle:
        html = html.replace(handle, "\0")
    found = MAIN.search(html)
    main = found.group(0) if found else ""
    return main, TITLE.sub("", html.replace(main, ""))
