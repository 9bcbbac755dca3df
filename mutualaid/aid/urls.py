from django.urls import path

from .views import categories, limits, mine, needs, offers, resources, triage

app_name = "aid"

urlpatterns = [
    path("needs/", needs.board, name="board"),
    path("needs/new/", needs.need_new, name="need_new"),
    path("needs/<uuid:code>/", needs.need_detail, name="need"),
    path("needs/<uuid:code>/changed/", needs.need_changed, name="need_changed"),
    path("needs/<uuid:code>/messages/", needs.need_message, name="need_message"),
    path("needs/<uuid:code>/assign/", needs.need_assign, name="need_assign"),
    path("needs/<uuid:code>/edit/", needs.need_edit, name="need_edit"),
    path("needs/<uuid:code>/repost/", needs.need_repost, name="need_repost"),
    path("needs/<uuid:code>/contact/", needs.need_contact_share, name="need_contact_share"),
    path(
        "needs/<uuid:code>/contact/stop/", needs.need_contact_unshare, name="need_contact_unshare"
    ),
    *[
        path(
            f"needs/<uuid:code>/{action}/",
            needs.need_action,
            {"action": action},
            name=f"need_{action}",
        )
        for action in needs.NEED_ACTIONS
    ],
    # Triage and organizers' notes (views/triage.py).
    *[
        path(
            f"needs/<uuid:code>/triage/{action.replace('_', '-')}/",
            triage.need_triage,
            {"action": action},
            name=f"need_triage_{action}",
        )
        for action in triage.TRIAGE_ACTIONS
    ],
    path("needs/<uuid:code>/notes/", triage.need_note, name="need_note"),
    path("needs/<uuid:code>/answer/", triage.need_answer, name="need_answer"),
    path("offers/", offers.offer_board, name="offer_board"),
    path("offers/new/", offers.offer_new, name="offer_new"),
    path("offers/<uuid:code>/", offers.offer_detail, name="offer"),
    path("offers/<uuid:code>/withdraw/", offers.offer_withdraw, name="offer_withdraw"),
    path("offers/<uuid:code>/match/", offers.offer_match, name="offer_match"),
    path("me/needs/", mine.my_needs, name="my_needs"),
    path("me/claims/", mine.my_claims, name="my_claims"),
    path("me/offers/", mine.my_offers, name="my_offers"),
    path("me/account/limits/", limits.volunteer_limits, name="volunteer_limits"),
    path("network/categories/", categories.categories, name="categories"),
    path("network/categories/<slug:slug>/", categories.category_rename, name="category_rename"),
    path("network/categories/<slug:slug>/move/", categories.category_move, name="category_move"),
    # The resource directory: public, and kept by organizers (views/resources.py).
    path("resources/", resources.directory, name="resources"),
    path("organize/resources/", resources.resources_kept, name="resources_kept"),
    path("organize/resources/new/", resources.resource_new, name="resource_new"),
    path("organize/resources/<uuid:code>/", resources.resource_edit, name="resource_edit"),
    path(
        "organize/resources/<uuid:code>/archive/",
        resources.resource_archive,
        name="resource_archive",
    ),
    path(
        "organize/resources/<uuid:code>/restore/",
        resources.resource_restore,
        name="resource_restore",
    ),
]
