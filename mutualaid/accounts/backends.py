"""How the logged-in member is read on each request: Django's ModelBackend, with the member's live
roles and the number of their unread notices read in the same query. Every page's menu shows both
(what the member may do, and "3 new notices"): they were two more queries on every page. The code of
their home area comes in the same row too: the boards open on it."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Aggregate, Count, OuterRef, Subquery, TextField
from django.db.models.functions import Coalesce

from mutualaid.areas.models import Area
from mutualaid.lib.prepared import PreparedQuery

from .models import Member, Notice, RoleGrant


class _Joined(Aggregate):
    """The values joined by commas: GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, ',')",
        )


def _member_with_roles(*, member_id):
    live = (
        RoleGrant.objects.filter(member=OuterRef("pk"), removed_at__isnull=True)
        .order_by()
        .values("member")
        .annotate(text=_Joined("role"))
        .values("text")
    )
    unread = (
        Notice.objects.filter(member=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("member")
        .annotate(count=Count("pk"))
        .values("count")
    )
    home_area_code = Area.objects.filter(pk=OuterRef("home_area_id")).order_by().values("code")
    return Member.objects.annotate(
        live_roles=Subquery(live),
        unread_notices=Coalesce(Subquery(unread), 0),
        home_area_code=Subquery(home_area_code),
    ).filter(pk=member_id)[:1]


# Read on every request: its SQL built once.
_MEMBER = PreparedQuery(_member_with_roles)


class MemberBackend(ModelBackend):
    """settings.AUTHENTICATION_BACKENDS names this one: logging in is Django's."""

    def get_user(self, user_id):
        if not isinstance(user_id, int):  # the session's key, as auth.get_user gives it: an int
            return None
        found = _MEMBER.objects(values={"member_id": user_id})
        member = found[0] if found else None
        return member if member is not None and self.user_can_authenticate(member) else None
