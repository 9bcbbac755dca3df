"""The map of who may see what: every URL in the URL conf, against every persona.

EXPECTED has a row for each URL name: which record its address names, the method tried (GET, or
POST for a view that only takes POST), and what each persona gets. A URL added to the URL conf
without a row here fails ``test_every_url_is_on_the_map``; a row for a URL that is gone fails too.

The personas, each relative to the records below:
- anonymous: not logged in
- member: a member with no part in the record (the outsider)
- requester: posted the needs
- claimant: holds the claimed needs now ("vic"); offered the offers
- released: claimed the needs before the claimant, wrote to the requester, and released them
- organizer: keeps the network running (an admin who also dispatches)

ROLE_EXPECTED says what five more personas get from the same rows, none with a part in the records:
a newcomer (not vouched yet) and one member for each organizer role (triager, dispatcher, safety
officer, admin), each holding that role alone. What a role may do is the policy's
(mutualaid/accounts/policy.py), and the rows follow it.

Each record's private text (details, messages, the shared contact) holds the CANARY, so a page that
shows it is told apart from one that does not.

This is the suite's one crawl of the URL conf: each URL, as each persona, is fetched once, and that
response is held to the map and to the page checks of test_security_headers.py (headers, no other
origin, no inline code). A check that wants every page belongs there, not in a crawl of its own.
"""

from urllib.parse import urlsplit

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve, reverse

from mutualaid.accounts.models import Member
from mutualaid.aid import resources, services
from mutualaid.aid.models import (
    Category,
    ContactShare,
    Need,
    Offer,
    OfferKind,
    Resource,
    Urgency,
    Visibility,
)
from mutualaid.api import services as api_services
from mutualaid.areas.models import Area
from mutualaid.dispatch import contact as dispatch_contact
from mutualaid.dispatch.models import ContactMessage
from mutualaid.network.models import NetworkSettings
from mutualaid.notifications.content import unsubscribe_token
from mutualaid.safety import services as safety_services
from mutualaid.safety.models import Reason
from mutualaid.spreadsheets import services as spreadsheet_services
from mutualaid.test import (
    CANARY,
    BaseTestCase,
    make_member,
    make_released_claimant,
    share_private_text,
    snapshot,
)
from mutualaid.tests.test_security_headers import header_problems, html_problems
from mutualaid.trust import services as trust_services
from mutualaid.trust.models import Level, Role, RoleGrant

PERSONAS = ("anonymous", "member", "requester", "claimant", "released", "organizer")
ROLE_PERSONAS = ("newcomer", "triager", "dispatcher", "safety", "admin")

GET, POST = "GET", "POST"

# What a persona gets. A status alone means that status with no private text on the page.
OK = "200"
PRIVATE = "200 private"  # the page shows the record's private text
LOGIN = "login"  # redirected to the login page
DONE = "done"  # redirected, and the action changed the records
REFUSED = "refused"  # redirected back to the record's page, nothing changed (a message says why)
FORBIDDEN = "403"
NOT_FOUND = "404"  # for those who may not know the record exists
NOT_ALLOWED = "405"
CONFLICT = "409"
PRIVATE_409 = "409 private"  # refused, on a page that shows the private text
GONE = "200 gone"  # the page that says the need is no longer theirs (aid/need_gone.html)
DONE_GONE = "200 gone, and changed records"  # done, and now out of sight: the page says so
GONE_409 = "409 gone"  # the same page, refusing an action: taken, ended, no longer theirs
INVALID = "422"
UNHEALTHY = "503"  # the health probe, with no task worker beating (none runs in this test)


def to(name: str) -> str:
    """Redirected to the page named ``name``, nothing changed."""
    return f"to {name}"


BOARD = to("aid:board")
HOME = to("home")
NOTICES = to("accounts:notices")
LIMITS = to("aid:volunteer_limits")
SUMMARY = to("notifications:organizer_hook")
RESET_SET = to("accounts:password_reset_set")
VOUCHES = to("trust:my_vouches")
TRUST_MEMBER = to("trust:member")
ASKED = to("trust:get_vouched")  # back to the page: a newcomer's ask told, a member's refused
HEAR = to("trust:vouch")
NEED_PAGE = to("aid:need")
ACCOUNT = to("accounts:account")
INTEGRATIONS = to("api:integrations")
NO_TOKEN = "401"  # the API, asked without a token
FIGURES = to("figures:dashboard")

# The records the rows name (see AccessMapTestCase.setUpTestData):
# - open: an open need, claimed and released by "released"
# - claimed: claimed by the claimant after "released" let it go; messages and a shared contact;
#   its claimant was asked "still on it?"
# - fulfilled: the same, marked done by the claimant; closed: the same, confirmed by the requester
# - hidden: an organizers-only need, claimed by the claimant after "released" let it go
# - proposed: an organizers-only need an organizer proposed to the claimant, not answered yet
# - offer: the claimant's open offer; withdrawn: the claimant's withdrawn offer
# - requester: the requester's account; reset link: a valid password-reset link for it

# fmt: off
EXPECTED = {
    # URL name:
    #    record        how   anonymous  member     requester  claimant   released   organizer
    # A vouched member finds the needs that fit them there; a newcomer goes to the board.
    "home":
        [(None,        GET,  OK,        OK,        OK,        OK,        OK,        OK)],
    # The health probe: the same answer for everyone, about the server, never about anyone.
    "healthz":
        [(None,        GET,  UNHEALTHY, UNHEALTHY, UNHEALTHY, UNHEALTHY, UNHEALTHY, UNHEALTHY)],
    "accounts:signup":
        [(None,        GET,  OK,        OK,        OK,        OK,        OK,        OK)],
    "accounts:login":
        [(None,        GET,  OK,        OK,        OK,        OK,        OK,        OK)],
    "accounts:logout":
        [(None,        POST, HOME,      HOME,      HOME,      HOME,      HOME,      HOME)],
    "accounts:password_reset":
        [(None,        GET,  OK,        OK,        OK,        OK,        OK,        OK)],
    "accounts:password_reset_link":
        [("reset link", GET, RESET_SET, RESET_SET, RESET_SET, RESET_SET, RESET_SET, RESET_SET)],
    # Without the link's token in the session, the page only says the link is no good.
    "accounts:password_reset_set":
        [("requester", GET,  OK,        OK,        OK,        OK,        OK,        OK)],
    "accounts:account":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    # Each member sees only who opened their own private text (see privacy/tests/test_accesses.py).
    "privacy:accesses":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    # The file holds what the member wrote and was sent, and nothing else.
    "privacy:export":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK),
         (None,        POST, LOGIN,     OK,        PRIVATE,   PRIVATE,   PRIVATE,   OK)],
    "accounts:password_change":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    "privacy:delete":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    "accounts:notices":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    "accounts:notices_read":
        [(None,        POST, LOGIN,     NOTICES,   NOTICES,   NOTICES,   NOTICES,   NOTICES)],
    # The footer's language picker, for everyone: no language named, nothing changes.
    "accounts:set_language":
        [(None,        POST, HOME,      HOME,      HOME,      HOME,      HOME,      HOME)],
    # Each member's own choices; the unsubscribe link needs no login (its token names the member)
    # and GET only asks (see notifications/tests/test_unsubscribe_view.py).
    "notifications:preferences":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    "notifications:unsubscribe":
        [("unsubscribe link", GET, OK,  OK,        OK,        OK,        OK,        OK)],
    # Each member sees and sets only their own limits (see aid/tests/test_volunteer_limits_form.py).
    "aid:volunteer_limits":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK),
         (None,        POST, LOGIN,     LIMITS,    LIMITS,    LIMITS,    LIMITS,    LIMITS)],
    "aid:board":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    "aid:need_new":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    "aid:need":
        [("open",      GET,  LOGIN,     OK,        PRIVATE,   OK,        OK,        PRIVATE),
         ("claimed",   GET,  LOGIN,     NOT_FOUND, PRIVATE,   PRIVATE,   OK,        PRIVATE),
         ("fulfilled", GET,  LOGIN,     NOT_FOUND, PRIVATE,   PRIVATE,   OK,        PRIVATE),
         ("closed",    GET,  LOGIN,     NOT_FOUND, PRIVATE,   OK,        OK,        PRIVATE),
         ("hidden",    GET,  LOGIN,     NOT_FOUND, PRIVATE,   PRIVATE,   GONE,      PRIVATE),
         # Organizers-only, proposed to the claimant: they see it (not its private text) to answer.
         ("proposed",  GET,  LOGIN,     NOT_FOUND, PRIVATE,   OK,        NOT_FOUND, PRIVATE)],
    # The page's "has anything changed" poll: the page's own rule (no "since": the panel).
    "aid:need_changed":
        [("open",      GET,  LOGIN,     OK,        PRIVATE,   OK,        OK,        PRIVATE),
         ("claimed",   GET,  LOGIN,     NOT_FOUND, PRIVATE,   PRIVATE,   OK,        PRIVATE),
         ("hidden",    GET,  LOGIN,     NOT_FOUND, PRIVATE,   PRIVATE,   GONE,      PRIVATE)],
    "aid:need_message":
        [("claimed",   POST, LOGIN,     NOT_FOUND, DONE,      DONE,      CONFLICT,  PRIVATE_409)],
    # Claiming a members' need that was taken meanwhile: the page says so (409). An organizers-only
    # need stays unknown to a member (404); "released" held it before, and is told it is not theirs.
    "aid:need_claim":
        [("open",      POST, LOGIN,     DONE,      REFUSED,   DONE,      DONE,      DONE),
         ("claimed",   POST, LOGIN,     GONE_409,  REFUSED,   REFUSED,   REFUSED,   REFUSED),
         ("hidden",    POST, LOGIN,     NOT_FOUND, REFUSED,   REFUSED,   GONE_409,  REFUSED)],
    "aid:need_release":
        [("claimed",   POST, LOGIN,     NOT_FOUND, REFUSED,   DONE,      REFUSED,   REFUSED)],
    "aid:need_fulfil":
        [("claimed",   POST, LOGIN,     NOT_FOUND, REFUSED,   DONE,      REFUSED,   REFUSED)],
    "aid:need_confirm":
        [("fulfilled", POST, LOGIN,     NOT_FOUND, DONE,      REFUSED,   REFUSED,   REFUSED)],
    "aid:need_reopen":
        [("fulfilled", POST, LOGIN,     NOT_FOUND, DONE,      REFUSED,   REFUSED,   REFUSED)],
    "aid:need_cancel":
        [("claimed",   POST, LOGIN,     NOT_FOUND, DONE,      REFUSED,   REFUSED,   REFUSED)],
    # Only the volunteer a proposal names answers it; "still on it?" is for the claimant, asked.
    "aid:need_accept":
        [("proposed",  POST, LOGIN,     NOT_FOUND, REFUSED,   DONE,      NOT_FOUND, REFUSED)],
    "aid:need_decline":
        [("proposed",  POST, LOGIN,     NOT_FOUND, REFUSED,   DONE_GONE, NOT_FOUND, REFUSED)],
    "aid:need_keep":
        [("claimed",   POST, LOGIN,     NOT_FOUND, REFUSED,   DONE,      REFUSED,   REFUSED)],
    "aid:need_assign":
        [("open",      POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE),
         ("hidden",    POST, LOGIN,     NOT_FOUND, FORBIDDEN, FORBIDDEN, NOT_FOUND, PRIVATE_409)],
    # Only the requester changes an open need, or posts an ended one again.
    "aid:need_edit":
        [("open",      GET,  LOGIN,     FORBIDDEN, PRIVATE,   FORBIDDEN, FORBIDDEN, FORBIDDEN),
         ("claimed",   GET,  LOGIN,     NOT_FOUND, REFUSED,   FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_repost":
        [("closed",    POST, LOGIN,     NOT_FOUND, REFUSED,   FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_contact_share":
        [("claimed",   POST, LOGIN,     NOT_FOUND, DONE,      FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_contact_unshare":
        [("claimed",   POST, LOGIN,     NOT_FOUND, DONE,      FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:offer_board":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    "aid:offer_new":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    "aid:offer":
        [("offer",     GET,  LOGIN,     OK,        OK,        OK,        OK,        OK),
         ("withdrawn", GET,  LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND, OK)],
    "aid:offer_withdraw":
        [("offer",     POST, LOGIN,     REFUSED,   REFUSED,   DONE,      REFUSED,   REFUSED)],
    "aid:offer_match":
        [("offer",     POST, LOGIN,     INVALID,   DONE,      INVALID,   INVALID,   INVALID)],
    "aid:my_needs":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    "aid:my_claims":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    "aid:my_offers":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    # Trust (mutualaid/trust): vouching and invitations for every member; the tree and a member's
    # standing for organizers; approval for admins and safety officers; suspension for safety
    # officers only (the organizer here is an admin and a dispatcher). "requester" is approved
    # already, so the admin's approval is refused; a revoke that names no vouch goes back to "My
    # vouches".
    "trust:vouch":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    "trust:my_vouches":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    # How a newcomer gets vouched for; asking tells approvers and neighbors (a vouched member has
    # nothing to ask); only a vouched member chooses to hear of such asks.
    "trust:get_vouched":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    "trust:vouch_request":
        [(None,        POST, LOGIN,     ASKED,     ASKED,     ASKED,     ASKED,     ASKED)],
    "trust:vouch_requests_hear":
        [(None,        POST, LOGIN,     HEAR,      HEAR,      HEAR,      HEAR,      HEAR)],
    "trust:vouch_revoke":
        [(None,        POST, LOGIN,     VOUCHES,   VOUCHES,   VOUCHES,   VOUCHES,   VOUCHES)],
    "trust:invites":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    # An invitation link ("invite": the claimant's): the sign-up form, for anyone who has the link,
    # logged in or not, as on accounts:signup.
    "trust:join":
        [("invite",    GET,  OK,        OK,        OK,        OK,        OK,        OK)],
    "trust:tree":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "trust:tree_branch":
        [("requester", GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "trust:member":
        [("requester", GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "trust:member_approve":
        [("requester", POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, TRUST_MEMBER)],
    "trust:member_approval_withdraw":
        [("requester", POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    "safety:member_suspend":
        [("requester", POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "trust:member_unsuspend":
        [("requester", POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    # Safety (mutualaid/safety): a member reports what they can see; the queue is for safety
    # officers only (the organizer here is an admin and a dispatcher). "message" is the claimant's
    # message on "claimed"; "report" is the member's report about "open"; "message report" is the
    # requester's report about "message", whose words only a safety officer reads there.
    "safety:report_need":
        [("open",      GET,  LOGIN,     OK,        OK,        OK,        OK,        OK),
         ("claimed",   GET,  LOGIN,     NOT_FOUND, OK,        OK,        OK,        OK),
         ("hidden",    GET,  LOGIN,     NOT_FOUND, OK,        OK,        NOT_FOUND, OK)],
    "safety:report_offer":
        [("offer",     GET,  LOGIN,     OK,        OK,        OK,        OK,        OK),
         ("withdrawn", GET,  LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND, OK)],
    "safety:report_message":
        [("message",   GET,  LOGIN,     NOT_FOUND, OK,        OK,        NOT_FOUND, OK)],
    "safety:report_member":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    "safety:report_queue":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    # The follow-up after a need closed: its requester and its volunteer answer (once, privately);
    # anyone else who sees the need is refused, the rest do not learn it exists. The answers are
    # for organizers who match needs or handle reports.
    "safety:feedback":
        [("closed",    GET,  LOGIN,     NOT_FOUND, OK,        OK,        FORBIDDEN, FORBIDDEN),
         ("closed",    POST, LOGIN,     NOT_FOUND, INVALID,   INVALID,   FORBIDDEN, FORBIDDEN)],
    "safety:feedback_list":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "safety:report_detail":
        [("report",    GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
         ("message report", GET, LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "safety:report_handle":
        [("report",    POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "safety:blocks":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    "safety:unblock":
        [(None,        POST, LOGIN,     INVALID,   INVALID,   INVALID,   INVALID,   INVALID)],
    # Blocking is not one of the loop's records: a block (or a refused one) goes back to the need.
    "safety:block_from_message":
        [("message",   POST, LOGIN,     NOT_FOUND, to("aid:need"), to("aid:need"), NOT_FOUND,
          to("aid:need"))],
    # Network (mutualaid/network): the admins' pages. "grant" is the triager persona's role;
    # "area" is Northside; "category" is Rides.
    "trust:organizers":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
         (None,        POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    "trust:role_remove":
        [("grant",     POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    # The network's public page: the same for everyone.
    "about":
        [(None,        GET,  OK,        OK,        OK,        OK,        OK,        OK)],
    "network:settings":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
         (None,        POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    # The admins' chat address for the daily summary (sealed, never shown back).
    "notifications:organizer_hook":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
         (None,        POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SUMMARY)],
    "areas:areas":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
         (None,        POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    "areas:area":
        [("area",      GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
         ("area",      POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    "aid:categories":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
         (None,        POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    "aid:category_rename":
        [("category",  POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    "aid:category_move":
        [("category",  POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    # Triage (aid/views/triage.py, dispatch/views/triage.py): triagers only (the organizer here
    # is an admin and a dispatcher, who do not triage). "open" is on the board already, so
    # publishing it is refused; it is joined to "claimed". Notes: organizers who read private
    # text; an answer: the requester, when a question was asked ("open" has none).
    "dispatch:triage":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_triage_publish":
        [("open",      POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_triage_priority":
        [("open",      POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_triage_change":
        [("open",      POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_triage_ask":
        [("open",      POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_triage_merge":
        [("open",      POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_triage_turn_down":
        [("open",      POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_note":
        [("open",      POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE),
         ("hidden",    POST, LOGIN,     NOT_FOUND, FORBIDDEN, FORBIDDEN, NOT_FOUND, DONE)],
    "aid:need_answer":
        [("open",      POST, LOGIN,     FORBIDDEN, REFUSED,   FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    # The Organize home (every organizer role) and the dispatch queue, its silent claims and
    # search (dispatch/views/home.py, queue.py, search.py): counts and public summaries only.
    "dispatch:organize":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "dispatch:queue":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "dispatch:stalled":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "dispatch:search":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    # The open needs as plain text to share outward (dispatch/views/sharing.py): for organizers
    # who match needs; the board's public summaries only, organizers-only needs never.
    "dispatch:needs_text":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    # Proxy intake and relay (dispatch/views/intake.py): organizers who take calls (triagers and
    # dispatchers). None of the records' requesters is a caller without an account, so a caller's
    # pages are 404 to them (dispatch/tests/test_relay.py covers a caller's). A caller takes their
    # account over with their reference code, logged in or not (accounts/views/takeover.py).
    "accounts:take_over":
        [(None,        GET,  OK,        OK,        OK,        OK,        OK,        OK)],
    "dispatch:intake":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "dispatch:intake_done":
        [("open",      GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND)],
    "dispatch:relay":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "dispatch:relay_caller":
        [("requester", GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND)],
    "dispatch:relay_reference":
        [("requester", GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND),
         ("requester", POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND)],
    "dispatch:relay_need":
        [("claimed",   GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND)],
    "dispatch:relay_reply":
        [("claimed",   POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND)],
    "dispatch:relay_act":
        [("claimed",   POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND)],
    "dispatch:relay_answer":
        [("claimed",   POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND)],
    # A member's page for organizers (every organizer role; reading it is recorded): public
    # summaries, and reports or feedback only for the roles that read them.
    "dispatch:member":
        [("requester", GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    # Match suggestions and assigning the backlog (dispatch/views/suggest.py, backlog.py): for
    # organizers who match needs. Reviewing the backlog's proposal (its POST) writes nothing;
    # proposing a suggestion or sending the backlog asks the volunteer (need_assign).
    "dispatch:suggestions":
        [("open",      GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "dispatch:suggestion_propose":
        [("open",      POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    "dispatch:backlog":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
         (None,        POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "dispatch:backlog_send":
        [(None,        POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    # How the public reaches the organizers (dispatch/views/contact.py): the form and its
    # confirmation for everyone (sending is rate limited per address, so dispatch/tests/
    # test_contact.py sends it); the inbox and "mark handled" for organizers who take calls.
    # "contact message" is a visitor's message to them (its words hold the CANARY).
    "dispatch:contact":
        [(None,        GET,  OK,        OK,        OK,        OK,        OK,        OK)],
    "dispatch:contact_sent":
        [(None,        GET,  OK,        OK,        OK,        OK,        OK,        OK)],
    "dispatch:contact_inbox":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, PRIVATE)],
    "dispatch:contact_handle":
        [("contact message", POST, LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    # The resource directory (aid/views/resources.py): public, visitors too; kept by the
    # organizers who may edit it (triagers and admins). "resource" is on the directory,
    # "archived resource" off it.
    "aid:resources":
        [(None,        GET,  OK,        OK,        OK,        OK,        OK,        OK)],
    "aid:resources_kept":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "aid:resource_new":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
         (None,        POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    "aid:resource_edit":
        [("resource",  GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
         ("resource",  POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    "aid:resource_archive":
        [("resource",  POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    "aid:resource_restore":
        [("archived resource", POST, LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    # The figures (figures/views.py): counts only, for every organizer role; bringing them up to
    # date writes no record of the map's. The public page of the anonymous figures is anyone's;
    # its CSV is 404 until a whole quarter has passed (none here).
    "figures:dashboard":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "figures:equity":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "figures:export":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "figures:refresh":
        [(None,        POST, LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FIGURES)],
    "figures:impact":
        [(None,        GET,  OK,        OK,        OK,        OK,        OK,        OK)],
    "figures:impact_export":
        [(None,        GET,  NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)],
    # The JSON API (mutualaid/api): a token in the Authorization header or nothing, never the
    # session, so every persona here gets 401 (tests of their tokens: mutualaid/api/tests).
    "api:needs":
        [(None,       GET, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need":
        [("open",     GET, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_claim":
        [("open",     POST, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_release":
        [("open",     POST, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_fulfil":
        [("open",     POST, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_confirm":
        [("open",     POST, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_reopen":
        [("open",     POST, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_cancel":
        [("open",     POST, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_accept":
        [("open",     POST, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_decline":
        [("open",     POST, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_keep":
        [("open",     POST, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_messages":
        [("open",     POST, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_repost":
        [("open",     POST, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_assign":
        [("open",     POST, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:offers":
        [(None,       GET, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:offer":
        [("offer",    GET, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:offer_withdraw":
        [("offer",    POST, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:offer_match":
        [("offer",    POST, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:me":
        [(None,       GET, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:my_needs":
        [(None,       GET, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:my_claims":
        [(None,       GET, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:my_proposals":
        [(None,       GET, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:my_offers":
        [(None,       GET, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:resources":
        [(None,       GET, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:figures":
        [(None,       GET, NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    # Sharing a contact takes PUT and DELETE: a form's POST is not one of them.
    "api:need_contact":
        [("open",      POST, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED,
          NOT_ALLOWED)],
    # How the API works, for everyone; anything else under /api/ is a JSON 404.
    "api:openapi":
        [(None,        GET,  OK,        OK,        OK,        OK,        OK,        OK)],
    "api:docs":
        [(None,        GET,  OK,        OK,        OK,        OK,        OK,        OK)],
    "api:unknown":
        [(None,        GET,  NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)],
    # A member's own tokens (the claimant holds "api token"); the network's integration tokens,
    # for the admins.
    "api:token_new":
        [(None,        GET,  LOGIN,     OK,        OK,        OK,        OK,        OK)],
    "api:token_revoke":
        [("api token", POST, LOGIN,     NOT_FOUND, NOT_FOUND, ACCOUNT,   NOT_FOUND, NOT_FOUND)],
    "api:integrations":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "api:integration_revoke":
        [("integration token", POST, LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
          INTEGRATIONS)],
    # Spreadsheets (mutualaid/spreadsheets): the upload page for the roles that import a kind
    # (needs and offers: intake; members: configure; resources: edit_resources); "upload" is
    # the organizer's checked file, its uploader's alone (404 to anyone else). The exports for
    # every organizer role, the needs' private details for those who read them.
    "spreadsheets:import":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "spreadsheets:upload":
        [("upload",    GET,  LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK)],
    "spreadsheets:upload_rejected":
        [("upload",    GET,  LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK)],
    "spreadsheets:export_needs":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, PRIVATE)],
    "spreadsheets:export_offers":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "spreadsheets:export_resources":
        [(None,        GET,  LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
}
# fmt: on

# What the newcomer and each role get from the same rows, in the same order as EXPECTED's. Every
# organizer role sees every need's public face; only triagers and dispatchers read private text and
# match needs; a safety officer reads a reported message on the report's page, handles reports,
# suspends and approves; an admin approves, grants roles and configures the network.
# fmt: off
ROLE_EXPECTED = {
    # URL name:
    #     newcomer   triager    dispatcher safety     admin
    "home":
        [(BOARD,     OK,        OK,        OK,        OK)],
    "healthz":
        [(UNHEALTHY, UNHEALTHY, UNHEALTHY, UNHEALTHY, UNHEALTHY)],
    "accounts:signup":
        [(OK,        OK,        OK,        OK,        OK)],
    "accounts:login":
        [(OK,        OK,        OK,        OK,        OK)],
    "accounts:logout":
        [(HOME,      HOME,      HOME,      HOME,      HOME)],
    "accounts:password_reset":
        [(OK,        OK,        OK,        OK,        OK)],
    "accounts:password_reset_link":
        [(RESET_SET, RESET_SET, RESET_SET, RESET_SET, RESET_SET)],
    "accounts:password_reset_set":
        [(OK,        OK,        OK,        OK,        OK)],
    "accounts:account":
        [(OK,        OK,        OK,        OK,        OK)],
    "privacy:accesses":
        [(OK,        OK,        OK,        OK,        OK)],
    "privacy:export":
        [(OK,        OK,        OK,        OK,        OK),
         (OK,        OK,        OK,        OK,        OK)],
    "accounts:password_change":
        [(OK,        OK,        OK,        OK,        OK)],
    "privacy:delete":
        [(OK,        OK,        OK,        OK,        OK)],
    "accounts:notices":
        [(OK,        OK,        OK,        OK,        OK)],
    "accounts:notices_read":
        [(NOTICES,   NOTICES,   NOTICES,   NOTICES,   NOTICES)],
    "accounts:set_language":
        [(HOME,      HOME,      HOME,      HOME,      HOME)],
    "notifications:preferences":
        [(OK,        OK,        OK,        OK,        OK)],
    "notifications:unsubscribe":
        [(OK,        OK,        OK,        OK,        OK)],
    "aid:volunteer_limits":
        [(OK,        OK,        OK,        OK,        OK),
         (LIMITS,    LIMITS,    LIMITS,    LIMITS,    LIMITS)],
    "aid:board":
        [(OK,        OK,        OK,        OK,        OK)],
    "aid:need_new":
        [(OK,        OK,        OK,        OK,        OK)],
    "aid:need":
        [(OK,        PRIVATE,   PRIVATE,   OK,        OK),
         (NOT_FOUND, PRIVATE,   PRIVATE,   OK,        OK),
         (NOT_FOUND, PRIVATE,   PRIVATE,   OK,        OK),
         (NOT_FOUND, PRIVATE,   PRIVATE,   OK,        OK),
         (NOT_FOUND, PRIVATE,   PRIVATE,   OK,        OK),
         (NOT_FOUND, PRIVATE,   PRIVATE,   OK,        OK)],
    "aid:need_changed":
        [(OK,        PRIVATE,   PRIVATE,   OK,        OK),
         (NOT_FOUND, PRIVATE,   PRIVATE,   OK,        OK),
         (NOT_FOUND, PRIVATE,   PRIVATE,   OK,        OK)],
    "aid:need_message":
        [(NOT_FOUND, PRIVATE_409, PRIVATE_409, CONFLICT, CONFLICT)],
    "aid:need_claim":
        [(REFUSED,   DONE,      DONE,      DONE,      DONE),
         (GONE_409,  REFUSED,   REFUSED,   REFUSED,   REFUSED),
         (NOT_FOUND, REFUSED,   REFUSED,   REFUSED,   REFUSED)],
    "aid:need_release":
        [(NOT_FOUND, REFUSED,   REFUSED,   REFUSED,   REFUSED)],
    "aid:need_fulfil":
        [(NOT_FOUND, REFUSED,   REFUSED,   REFUSED,   REFUSED)],
    "aid:need_confirm":
        [(NOT_FOUND, REFUSED,   REFUSED,   REFUSED,   REFUSED)],
    "aid:need_reopen":
        [(NOT_FOUND, REFUSED,   REFUSED,   REFUSED,   REFUSED)],
    "aid:need_cancel":
        [(NOT_FOUND, REFUSED,   REFUSED,   REFUSED,   REFUSED)],
    "aid:need_accept":
        [(NOT_FOUND, REFUSED,   REFUSED,   REFUSED,   REFUSED)],
    "aid:need_decline":
        [(NOT_FOUND, REFUSED,   REFUSED,   REFUSED,   REFUSED)],
    "aid:need_keep":
        [(NOT_FOUND, REFUSED,   REFUSED,   REFUSED,   REFUSED)],
    "aid:need_assign":
        [(FORBIDDEN, DONE,      DONE,      FORBIDDEN, FORBIDDEN),
         (NOT_FOUND, PRIVATE_409, PRIVATE_409, FORBIDDEN, FORBIDDEN)],
    "aid:need_edit":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
         (NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_repost":
        [(NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_contact_share":
        [(NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_contact_unshare":
        [(NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:offer_board":
        [(OK,        OK,        OK,        OK,        OK)],
    "aid:offer_new":
        [(OK,        OK,        OK,        OK,        OK)],
    "aid:offer":
        [(OK,        OK,        OK,        OK,        OK),
         (NOT_FOUND, OK,        OK,        OK,        OK)],
    "aid:offer_withdraw":
        [(REFUSED,   REFUSED,   REFUSED,   REFUSED,   REFUSED)],
    "aid:offer_match":
        [(INVALID,   INVALID,   INVALID,   INVALID,   INVALID)],
    "aid:my_needs":
        [(OK,        OK,        OK,        OK,        OK)],
    "aid:my_claims":
        [(OK,        OK,        OK,        OK,        OK)],
    "aid:my_offers":
        [(OK,        OK,        OK,        OK,        OK)],
    "trust:vouch":
        [(OK,        OK,        OK,        OK,        OK)],
    "trust:my_vouches":
        [(OK,        OK,        OK,        OK,        OK)],
    "trust:get_vouched":
        [(OK,        OK,        OK,        OK,        OK)],
    # The newcomer's ask writes notices only (the map's records do not hold notices).
    "trust:vouch_request":
        [(ASKED,     ASKED,     ASKED,     ASKED,     ASKED)],
    "trust:vouch_requests_hear":
        [(FORBIDDEN, HEAR,      HEAR,      HEAR,      HEAR)],
    "trust:vouch_revoke":
        [(VOUCHES,   VOUCHES,   VOUCHES,   VOUCHES,   VOUCHES)],
    "trust:invites":
        [(OK,        OK,        OK,        OK,        OK)],
    "trust:join":
        [(OK,        OK,        OK,        OK,        OK)],
    "trust:tree":
        [(FORBIDDEN, OK,        OK,        OK,        OK)],
    "trust:tree_branch":
        [(FORBIDDEN, OK,        OK,        OK,        OK)],
    "trust:member":
        [(FORBIDDEN, OK,        OK,        OK,        OK)],
    "trust:member_approve":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, TRUST_MEMBER, TRUST_MEMBER)],
    "trust:member_approval_withdraw":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE,      DONE)],
    "safety:member_suspend":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, TRUST_MEMBER, FORBIDDEN)],
    "trust:member_unsuspend":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, TRUST_MEMBER, FORBIDDEN)],
    "safety:report_need":
        [(OK,        OK,        OK,        OK,        OK),
         (NOT_FOUND, OK,        OK,        OK,        OK),
         (NOT_FOUND, OK,        OK,        OK,        OK)],
    "safety:report_offer":
        [(OK,        OK,        OK,        OK,        OK),
         (NOT_FOUND, OK,        OK,        OK,        OK)],
    "safety:report_message":
        [(NOT_FOUND, OK,        OK,        NOT_FOUND, NOT_FOUND)],
    "safety:report_member":
        [(OK,        OK,        OK,        OK,        OK)],
    "safety:report_queue":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN)],
    "safety:feedback":
        [(NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
         (NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "safety:feedback_list":
        [(FORBIDDEN, OK,        OK,        OK,        FORBIDDEN)],
    "safety:report_detail":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN),
         (FORBIDDEN, FORBIDDEN, FORBIDDEN, PRIVATE,   FORBIDDEN)],
    "safety:report_handle":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE,      FORBIDDEN)],
    "safety:blocks":
        [(OK,        OK,        OK,        OK,        OK)],
    "safety:unblock":
        [(INVALID,   INVALID,   INVALID,   INVALID,   INVALID)],
    "safety:block_from_message":
        [(NOT_FOUND, NEED_PAGE, NEED_PAGE, NOT_FOUND, NOT_FOUND)],
    "trust:organizers":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
         (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    "trust:role_remove":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    "about":
        [(OK,        OK,        OK,        OK,        OK)],
    "network:settings":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
         (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    "notifications:organizer_hook":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
         (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SUMMARY)],
    "areas:areas":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
         (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    "areas:area":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
         (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    "aid:categories":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
         (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    "aid:category_rename":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    "aid:category_move":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)],
    "dispatch:triage":
        [(FORBIDDEN, OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_triage_publish":
        [(FORBIDDEN, REFUSED,   FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_triage_priority":
        [(FORBIDDEN, DONE,      FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_triage_change":
        [(FORBIDDEN, DONE,      FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_triage_ask":
        [(FORBIDDEN, DONE,      FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_triage_merge":
        [(FORBIDDEN, DONE,      FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_triage_turn_down":
        [(FORBIDDEN, DONE,      FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "aid:need_note":
        [(FORBIDDEN, DONE,      DONE,      FORBIDDEN, FORBIDDEN),
         (NOT_FOUND, DONE,      DONE,      FORBIDDEN, FORBIDDEN)],
    "aid:need_answer":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)],
    "dispatch:organize":
        [(FORBIDDEN, OK,        OK,        OK,        OK)],
    "dispatch:queue":
        [(FORBIDDEN, OK,        OK,        FORBIDDEN, FORBIDDEN)],
    "dispatch:stalled":
        [(FORBIDDEN, OK,        OK,        FORBIDDEN, FORBIDDEN)],
    "dispatch:search":
        [(FORBIDDEN, OK,        OK,        OK,        OK)],
    "dispatch:needs_text":
        [(FORBIDDEN, OK,        OK,        FORBIDDEN, FORBIDDEN)],
    "accounts:take_over":
        [(OK,        OK,        OK,        OK,        OK)],
    "dispatch:intake":
        [(FORBIDDEN, OK,        OK,        FORBIDDEN, FORBIDDEN)],
    "dispatch:intake_done":
        [(FORBIDDEN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN)],
    "dispatch:relay":
        [(FORBIDDEN, OK,        OK,        FORBIDDEN, FORBIDDEN)],
    "dispatch:relay_caller":
        [(FORBIDDEN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN)],
    "dispatch:relay_reference":
        [(FORBIDDEN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN),
         (FORBIDDEN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN)],
    "dispatch:relay_need":
        [(FORBIDDEN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN)],
    "dispatch:relay_reply":
        [(FORBIDDEN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN)],
    "dispatch:relay_act":
        [(FORBIDDEN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN)],
    "dispatch:relay_answer":
        [(FORBIDDEN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN)],
    "dispatch:member":
        [(FORBIDDEN, OK,        OK,        OK,        OK)],
    "dispatch:suggestions":
        [(FORBIDDEN, OK,        OK,        FORBIDDEN, FORBIDDEN)],
    "dispatch:suggestion_propose":
        [(FORBIDDEN, DONE,      DONE,      FORBIDDEN, FORBIDDEN)],
    "dispatch:backlog":
        [(FORBIDDEN, OK,        OK,        FORBIDDEN, FORBIDDEN),
         (FORBIDDEN, OK,        OK,        FORBIDDEN, FORBIDDEN)],
    "dispatch:backlog_send":
        [(FORBIDDEN, DONE,      DONE,      FORBIDDEN, FORBIDDEN)],
    "dispatch:contact":
        [(OK,        OK,        OK,        OK,        OK)],
    "dispatch:contact_sent":
        [(OK,        OK,        OK,        OK,        OK)],
    "dispatch:contact_inbox":
        [(FORBIDDEN, PRIVATE,   PRIVATE,   FORBIDDEN, FORBIDDEN)],
    "dispatch:contact_handle":
        [(FORBIDDEN, DONE,      DONE,      FORBIDDEN, FORBIDDEN)],
    "aid:resources":
        [(OK,        OK,        OK,        OK,        OK)],
    "aid:resources_kept":
        [(FORBIDDEN, OK,        FORBIDDEN, FORBIDDEN, OK)],
    "aid:resource_new":
        [(FORBIDDEN, OK,        FORBIDDEN, FORBIDDEN, OK),
         (FORBIDDEN, DONE,      FORBIDDEN, FORBIDDEN, DONE)],
    "aid:resource_edit":
        [(FORBIDDEN, OK,        FORBIDDEN, FORBIDDEN, OK),
         (FORBIDDEN, DONE,      FORBIDDEN, FORBIDDEN, DONE)],
    "aid:resource_archive":
        [(FORBIDDEN, DONE,      FORBIDDEN, FORBIDDEN, DONE)],
    "aid:resource_restore":
        [(FORBIDDEN, DONE,      FORBIDDEN, FORBIDDEN, DONE)],
    "figures:dashboard":
        [(FORBIDDEN, OK,        OK,        OK,        OK)],
    "figures:equity":
        [(FORBIDDEN, OK,        OK,        OK,        OK)],
    "figures:export":
        [(FORBIDDEN, OK,        OK,        OK,        OK)],
    "figures:refresh":
        [(FORBIDDEN, FIGURES,   FIGURES,   FIGURES,   FIGURES)],
    "figures:impact":
        [(OK,        OK,        OK,        OK,        OK)],
    "figures:impact_export":
        [(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)],
    "api:needs":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_claim":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_release":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_fulfil":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_confirm":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_reopen":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_cancel":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_accept":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_decline":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_keep":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_messages":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_repost":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_assign":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:offers":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:offer":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:offer_withdraw":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:offer_match":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:me":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:my_needs":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:my_claims":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:my_proposals":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:my_offers":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:resources":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:figures":
        [(NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN,  NO_TOKEN)],
    "api:need_contact":
        [(NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)],
    "api:openapi":
        [(OK,        OK,        OK,        OK,        OK)],
    "api:docs":
        [(OK,        OK,        OK,        OK,        OK)],
    "api:unknown":
        [(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)],
    "api:token_new":
        [(OK,        OK,        OK,        OK,        OK)],
    "api:token_revoke":
        [(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)],
    "api:integrations":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)],
    "api:integration_revoke":
        [(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, INTEGRATIONS)],
    "spreadsheets:import":
        [(FORBIDDEN, OK,        OK,        FORBIDDEN, OK)],
    "spreadsheets:upload":
        [(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)],
    "spreadsheets:upload_rejected":
        [(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)],
    "spreadsheets:export_needs":
        [(FORBIDDEN, PRIVATE,   PRIVATE,   OK,        OK)],
    "spreadsheets:export_offers":
        [(FORBIDDEN, OK,        OK,        OK,        OK)],
    "spreadsheets:export_resources":
        [(FORBIDDEN, OK,        OK,        OK,        OK)],
}
# fmt: on

# What a POST sends, by URL name (from the records); other POSTs send nothing.
POST_DATA = {
    "trust:organizers": lambda records: {"handle": "otto", "role": Role.DISPATCHER},
    "network:settings": lambda records: {
        "name": "Eastside Mutual Aid",
        "scope": "Groceries and rides, 9am to 8pm.",
        "vouches_required": 2,
        "vouch_wait_days": 7,
        "vouch_limit": 5,
        "retention_days": 60,
        "max_active_claims": 3,
        "proposal_hours": 12,
        "triage_first": "on",
        "stale_hours_today": 3,
        "stale_hours_soon": 12,
        "stale_hours_week": 48,
        "stale_hours_anytime": 168,
    },
    "areas:areas": lambda records: {"name": "East End"},
    "areas:area": lambda records: {"name": "North End"},
    "aid:categories": lambda records: {"name": "Pet care"},
    "aid:category_rename": lambda records: {"name": "Lifts"},
    "aid:category_move": lambda records: {"direction": "up"},
    "aid:need_message": lambda records: {"body": "See you at six."},
    # The page's dialog, or the second step's button, says yes (aid.views.needs.CONFIRM_FIRST).
    "aid:need_release": lambda records: {"confirm": "yes"},
    "aid:need_fulfil": lambda records: {"confirm": "yes"},
    "aid:need_assign": lambda records: {"handle": "vic"},
    "aid:need_contact_share": lambda records: {"kind": "phone", "value": "555 0100"},
    "aid:offer_match": lambda records: {"need": records["open"].code},
    "safety:report_handle": lambda records: {"action": "hide"},
    "aid:need_triage_priority": lambda records: {"priority": "high"},
    "aid:need_triage_change": lambda records: {"visibility": Visibility.ORGANIZERS},
    "aid:need_triage_ask": lambda records: {"question": "Which shop?"},
    "aid:need_triage_merge": lambda records: {"into": str(records["claimed"].code)},
    "aid:need_triage_turn_down": lambda records: {"reason": "Out of scope", "resources": "Hotline"},
    "aid:need_note": lambda records: {"body": "Called back: before Friday."},
    "aid:need_answer": lambda records: {"text": "The shop on Elm."},
    "dispatch:suggestion_propose": lambda records: {
        "volunteer": str(Member.objects.get(handle="vic").code)
    },
    "dispatch:backlog_send": lambda records: {
        "pair": f"{records['open'].code}:{Member.objects.get(handle='vic').code}"
    },
    "aid:resource_new": lambda records: {"name": "Central food bank", "kind": "food_bank"},
    "aid:resource_edit": lambda records: {"name": "North pantry", "kind": "food_bank"},
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


# A member's columns but the time of their last log-in, which each fetch's own log-in sets.
MEMBER_FIELDS = [
    field.attname for field in Member._meta.concrete_fields if field.name != "last_login"
]


def records_state() -> dict:
    """Every row an action could change: the loop's records, shared contacts and members."""
    return {
        **snapshot(),
        "contacts": list(ContactShare.objects.order_by("pk").values()),
        "members": list(Member.objects.order_by("pk").values(*MEMBER_FIELDS)),
        "role_grants": list(RoleGrant.objects.order_by("pk").values()),
        "network": list(NetworkSettings.objects.values()),
        "areas": list(Area.objects.order_by("pk").values()),
        "area_neighbors": list(Area.neighbors.through.objects.order_by("pk").values()),
        "categories": list(Category.objects.order_by("pk").values()),
        "contact_messages": list(ContactMessage.objects.order_by("pk").values()),
        "resources": list(Resource.objects.order_by("pk").values()),
    }


class AccessMapTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        # Each fetch is rolled back, and a log-in changes none of these rows: every fetch starts
        # from the same records, read once here.
        self.records_before = records_state()

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.released = make_member("rey", area=cls.central)

        def need(**fields):
            return services.need_post(
                requester=cls.requester,
                category=cls.groceries,
                area=cls.north,
                summary="Groceries for a family of four",
                details=f"Flat 3B, ring twice. {CANARY}",
                urgency=Urgency.SOON,
                **fields,
            )

        def claimed(**fields):
            claimed = need(**fields)
            make_released_claimant(claimed, volunteer=cls.released, then=cls.volunteer)
            share_private_text(claimed)
            return claimed

        opened = need()
        make_released_claimant(opened, volunteer=cls.released)
        fulfilled = claimed()
        services.need_mark_fulfilled(need=fulfilled, member=cls.volunteer)
        closed = claimed()
        services.need_mark_fulfilled(need=closed, member=cls.volunteer)
        services.need_confirm(need=closed, member=cls.requester)
        offer = services.offer_post(
            offerer=cls.volunteer,
            categories=[cls.groceries],
            areas=[cls.north],
            summary="Can shop on Saturdays",
            kind=OfferKind.ONE_OFF,
        )
        withdrawn = services.offer_post(
            offerer=cls.volunteer,
            categories=[cls.rides],
            areas=[cls.north],
            summary="Rides to the clinic",
            kind=OfferKind.ONE_OFF,
        )
        services.offer_withdraw(offer=withdrawn, member=cls.volunteer)
        proposed = need(visibility=Visibility.ORGANIZERS)
        services.need_assign(need=proposed, volunteer=cls.volunteer, organizer=cls.organizer)
        cls.records = {
            "open": opened,
            "claimed": claimed(),
            "fulfilled": fulfilled,
            "closed": closed,
            "hidden": claimed(visibility=Visibility.ORGANIZERS),
            "proposed": proposed,
            "offer": offer,
            "withdrawn": withdrawn,
            "requester": cls.requester,
        }
        # The claimant of "claimed" was asked "still on it?" (aid.services.claims_check_in).
        cls.records["claimed"].claims.filter(ended_at__isnull=True).update(
            check_in_asked_at=cls.records["claimed"].status_changed_at
        )
        # Safety (mutualaid/safety): a message on "claimed", and a report about "open".
        cls.records["message"] = (
            cls.records["claimed"]
            .claims.get(ended_at__isnull=True)
            .messages.get(sender=cls.volunteer)
        )
        cls.records["report"] = safety_services.report_file(
            reporter=cls.outsider, reason=Reason.SPAM, need=opened
        )
        cls.records["message report"] = safety_services.report_file(
            reporter=cls.requester, reason=Reason.HARASSMENT, message=cls.records["message"]
        )
        # Trust (mutualaid/trust): the claimant's invitation link, not used yet.
        cls.records["invite"] = trust_services.invite_create(
            inviter=cls.volunteer, note="We run the food bank together."
        )
        cls.personas = {
            "anonymous": None,
            "member": cls.outsider,
            "requester": cls.requester,
            "claimant": cls.volunteer,
            "released": cls.released,
            "organizer": cls.organizer,
        }
        # Network (mutualaid/network): a newcomer, and one member holding each role alone.
        cls.personas.update(
            newcomer=make_member("nell", area=cls.north, level=Level.NEWCOMER),
            triager=make_member("tia", area=cls.central, roles=[Role.TRIAGER]),
            dispatcher=make_member("dex", area=cls.central, roles=[Role.DISPATCHER]),
            safety=make_member("sol", area=cls.central, roles=[Role.SAFETY]),
            admin=make_member("ada", area=cls.central, roles=[Role.ADMIN]),
        )
        cls.records["area"] = cls.north
        # Dispatch (mutualaid/dispatch/contact.py): a visitor's message to the organizers.
        cls.records["contact message"] = dispatch_contact.contact_message_send(
            body=f"The food bank was closed. {CANARY}", reply_to="555 0100"
        )
        NetworkSettings.load()
        # Spreadsheets (mutualaid/spreadsheets): a needs file the organizer uploaded and checked.
        upload = spreadsheet_services.upload_create(
            by=cls.organizer,
            kind="needs",
            data=b"What do you need?,Kind of help,Area,Phone\nGroceries,Groceries,Northside,x\n",
        )
        spreadsheet_services.upload_start(
            upload=upload, by=cls.organizer, mapping=upload.mapping, dry_run=True, consent=True
        )
        spreadsheet_services.upload_run(upload_id=upload.pk, dry_run=True)
        cls.records["upload"] = upload
        # The resource directory (aid/resources.py): one listed (the edit empties its hours,
        # phone and areas), one archived.
        cls.records["resource"] = resources.resource_create(
            by=cls.organizer,
            name="North pantry",
            kind="food_bank",
            hours="Tuesdays",
            phone="212 555 0142",
            areas=[cls.north],
        )
        cls.records["archived resource"] = resources.resource_create(
            by=cls.organizer, name="Old shelter", kind="shelter"
        )
        resources.resource_archive(resource=cls.records["archived resource"], by=cls.organizer)
        # The API (mutualaid/api): the claimant's token, and the network's integration token.
        cls.records["api token"] = api_services.token_create(
            member=cls.volunteer, name="calendar", scope="write"
        )[0]
        cls.records["integration token"] = api_services.integration_token_create(
            by=cls.organizer, name="dashboard"
        )[0]

    def url_kwargs(self, record: str | None) -> dict:
        if record is None:
            return {}
        if record == "reset link":
            member = Member.objects.get(pk=self.requester.pk)
            return {"code": member.code, "token": default_token_generator.make_token(member)}
        if record == "unsubscribe link":
            return {"token": unsubscribe_token(self.requester, "need_claimed")}
        if record == "grant":
            return {"code": self.personas["triager"].code, "role": Role.TRIAGER}
        if record == "category":
            return {"slug": self.rides.slug}
        return {"code": self.records[record].code}

    def record_page(self, record: str | None) -> str | None:
        """Where an action on the record sends the member back to."""
        target = self.records.get(record)
        if isinstance(target, Need):
            return reverse("aid:need", args=[target.code])
        if isinstance(target, Offer):
            return reverse("aid:offer", args=[target.code])
        return None

    def fetch(self, name: str, record: str | None, method: str, persona: str):
        """``persona``'s response from the URL, and whether it changed any record (rolled back)."""
        data = POST_DATA[name](self.records) if method == POST and name in POST_DATA else {}
        client = Client()
        with transaction.atomic():
            if self.personas[persona] is not None:
                client.force_login(self.personas[persona])
            url = reverse(name, kwargs=self.url_kwargs(record))  # a reset token after the login
            try:
                response = client.post(url, data) if method == POST else client.get(url)
                if response.streaming:  # read whole, as a download is (an export)
                    response.body = b"".join(response.streaming_content)
                changed = records_state() != self.records_before
            finally:
                transaction.set_rollback(True)
        return response, changed

    def outcome(self, name: str, record: str | None, method: str, persona: str) -> str:
        return self.fetch_and_describe(name, record, method, persona)[0]

    def fetch_and_describe(self, name: str, record: str | None, method: str, persona: str):
        """(what ``persona`` gets, as the map writes it; the response, or None if it raised)."""
        try:
            response, changed = self.fetch(name, record, method, persona)
        except Exception as error:  # reported as the outcome, with the rest of the map
            return f"raised {error!r}", None
        outcome = self.describe(response, changed=changed, record_page=self.record_page(record))
        return outcome, response

    @staticmethod
    def describe(response, *, changed: bool, record_page: str | None) -> str:
        if response.status_code == 302:
            path = urlsplit(response["Location"]).path
            if path == reverse("accounts:login"):
                return LOGIN
            if changed:
                return DONE
            if path == record_page:
                return REFUSED
            try:
                return to(resolve(path).view_name)
            except Resolver404:
                return f"to {response['Location']}"
        body = response.body if response.streaming else response.content
        shown = CANARY in body.decode(errors="replace")
        gone = any(template.name == "aid/need_gone.html" for template in response.templates)
        outcome = f"{response.status_code}{' gone' if gone else ''}{' private' if shown else ''}"
        return f"{outcome}, and changed records" if changed else outcome

    def rows(self):
        for name, rows in EXPECTED.items():
            role_rows = ROLE_EXPECTED.get(name, [])
            if len(role_rows) != len(rows):  # test_every_url_is_on_the_role_map says so
                role_rows = [()] * len(rows)
            for (record, method, *outcomes), role_outcomes in zip(rows, role_rows, strict=True):
                expected = dict(zip(PERSONAS, outcomes, strict=True))
                expected.update(zip(ROLE_PERSONAS, role_outcomes, strict=False))
                yield name, record, method, expected


class AccessMapTests(AccessMapTestCase):
    def test_every_url_is_on_the_map(self):
        names = url_names()
        missing = [name for name in names if name not in EXPECTED]
        if missing:
            self.fail(
                "These URLs have no row in the access map: add each to EXPECTED in "
                "mutualaid/tests/test_access_map.py, saying what every persona gets:\n  "
                + "\n  ".join(missing)
            )
        gone = [name for name in EXPECTED if name not in names]
        if gone:
            self.fail(
                "These rows of the access map name URLs that are gone:\n  " + "\n  ".join(gone)
            )

    def test_every_url_is_on_the_role_map(self):
        wrong = [
            f"{name}: {len(ROLE_EXPECTED.get(name, []))} rows, EXPECTED has {len(rows)}"
            for name, rows in EXPECTED.items()
            if len(ROLE_EXPECTED.get(name, [])) != len(rows)
        ]
        wrong += [f"{name}: not in EXPECTED" for name in ROLE_EXPECTED if name not in EXPECTED]
        if wrong:
            self.fail(
                "ROLE_EXPECTED must have one row for each row of EXPECTED, saying what the "
                f"newcomer and each role get ({', '.join(ROLE_PERSONAS)}):\n  " + "\n  ".join(wrong)
            )

    def test_every_page_is_what_the_map_says(self):
        """The one crawl of the URL conf: each URL of the map, as each persona, fetched once.

        Each response is held to the map (its status, whether it shows private text, what it
        changed), and to test_security_headers.py's checks: the security headers, and no request
        to another origin nor inline code in the page.
        """
        access, headers, html = [], [], []
        for name, record, method, expected in self.rows():
            for persona, outcome in expected.items():
                label = f"{method} {name} [{record}] as {persona}"
                actual, response = self.fetch_and_describe(name, record, method, persona)
                if actual != outcome:
                    access.append(f"{label}: expected {outcome}, got {actual}")
                if response is None:
                    continue
                # Logging out ends the member's session before the redirect is sent.
                logged_in = persona != "anonymous" and response.wsgi_request.user.is_authenticated
                headers += [
                    f"{label}: {it}" for it in header_problems(response, logged_in=logged_in)
                ]
                html += [f"{label}: {it}" for it in html_problems(response)]
        sections = {
            "The access map does not hold": access,
            "Missing or weak security headers": headers,
            "Pages that are not all ours": html,
        }
        failed = [
            f"{title}:\n  " + "\n  ".join(lines) for title, lines in sections.items() if lines
        ]
        if failed:
            self.fail("\n".join(failed))

    def test_a_post_only_url_refuses_get(self):
        wrong = []
        for name, rows in EXPECTED.items():
            if any(method != POST for _, method, *_ in rows):
                continue
            record = rows[0][0]
            for persona in PERSONAS + ROLE_PERSONAS:
                actual = self.outcome(name, record, GET, persona)
                allowed = {NOT_ALLOWED, LOGIN} if persona == "anonymous" else {NOT_ALLOWED}
                if actual not in allowed:
                    wrong.append(f"{name} GET as {persona}: expected 405, got {actual}")
        if wrong:
            self.fail("These POST-only URLs answer a GET:\n  " + "\n  ".join(wrong))
