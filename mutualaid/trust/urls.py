from django.urls import path

from . import roles, views

app_name = "trust"

urlpatterns = [
    path("network/organizers/", roles.organizers, name="organizers"),
    path(
        "network/organizers/<uuid:code>/<slug:role>/remove/", roles.role_remove, name="role_remove"
    ),
    # The link an invitation gives (trust/templates/trust/invites.html): sign-up with a vouch.
    path("join/<uuid:code>/", views.join, name="join"),
    path("trust/vouch/", views.vouch, name="vouch"),
    path("trust/vouches/", views.my_vouches, name="my_vouches"),
    path("trust/get-vouched/", views.get_vouched, name="get_vouched"),
    path("trust/get-vouched/ask/", views.vouch_request, name="vouch_request"),
    path("trust/vouch/hear/", views.vouch_requests_hear, name="vouch_requests_hear"),
    path("trust/vouches/revoke/", views.vouch_revoke, name="vouch_revoke"),
    path("trust/invites/", views.invites, name="invites"),
    path("trust/tree/", views.tree, name="tree"),
    path("trust/tree/<uuid:code>/", views.tree_branch, name="tree_branch"),
    path("trust/members/<uuid:code>/", views.member, name="member"),
    path("trust/members/<uuid:code>/approve/", views.member_approve, name="member_approve"),
    path(
        "trust/members/<uuid:code>/withdraw-approval/",
        views.member_approval_withdraw,
        name="member_approval_withdraw",
    ),
    path("trust/members/<uuid:code>/unsuspend/", views.member_unsuspend, name="member_unsuspend"),
]
