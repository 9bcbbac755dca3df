from django.urls import path  # noqa: F401  (each part of the room adds its pages below)

from .views import backlog, contact, home, intake, member, queue, search, sharing, suggest, triage

app_name = "dispatch"

urlpatterns = [
    path("organize/", home.organize, name="organize"),
    path("organize/dispatch/", queue.dispatch_queue, name="queue"),
    path("organize/dispatch/stalled/", queue.stalled_claims, name="stalled"),
    path("organize/search/", search.search_page, name="search"),
    # The open needs as plain text, to paste into a group chat or a flyer (dispatch/sharing.py).
    path("organize/needs/text/", sharing.needs_text, name="needs_text"),
    path("organize/triage/", triage.triage_queue, name="triage"),
    # Proxy intake and relay (dispatch/intake.py); a member's page for organizers.
    path("organize/intake/", intake.intake_page, name="intake"),
    path("organize/intake/<uuid:code>/", intake.intake_done, name="intake_done"),
    path("organize/relay/", intake.relay, name="relay"),
    path("organize/relay/callers/<uuid:code>/", intake.relay_caller, name="relay_caller"),
    path(
        "organize/relay/callers/<uuid:code>/reference/",
        intake.relay_reference,
        name="relay_reference",
    ),
    path("organize/relay/needs/<uuid:code>/", intake.relay_need, name="relay_need"),
    path("organize/relay/needs/<uuid:code>/reply/", intake.relay_reply, name="relay_reply"),
    path("organize/relay/needs/<uuid:code>/act/", intake.relay_act, name="relay_act"),
    path("organize/relay/needs/<uuid:code>/answer/", intake.relay_answer, name="relay_answer"),
    path("organize/members/<uuid:code>/", member.member_page, name="member"),
    # Match suggestions for one need, and assigning the backlog (dispatch/matching.py, backlog.py).
    path("organize/needs/<uuid:code>/suggestions/", suggest.suggestions, name="suggestions"),
    path(
        "organize/needs/<uuid:code>/suggestions/propose/",
        suggest.suggestion_propose,
        name="suggestion_propose",
    ),
    path("organize/backlog/", backlog.backlog_page, name="backlog"),
    path("organize/backlog/send/", backlog.backlog_send, name="backlog_send"),
    # How the public reaches the organizers, and their inbox of it (dispatch/contact.py).
    path("about/contact/", contact.contact_page, name="contact"),
    path("about/contact/sent/", contact.contact_sent, name="contact_sent"),
    path("organize/contact/", contact.contact_inbox, name="contact_inbox"),
    path(
        "organize/contact/<uuid:code>/handled/", contact.contact_handle, name="contact_handle"
    ),
]
