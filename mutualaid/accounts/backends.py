"""How the logged-in member is read on each request: Django's ModelBackend, with the member's live
roles and the number of their unread notices read in the same query. Every page's menu shows both
(what the member may do, and "3 new notices"): they were two more queries on every page. The code of
their home area comes in the same row too: the boards open on it.

A request reads its session and its member together, in one query (accounts/sessions.py): the
backend is handed the member read with the session (``read_with``), and only queries for it when
there is none, or another (a member read outside a request: the backend's own query, the same
row).
"""

from contextlib import contextmanager
from contextvars import ContextVar

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


# What the member's row brings with it, each read from the member's id and home area.
MEMBER_ANNOTATIONS = ("live_roles", "unread_notices", "home_area_code")


def member_annotations(member_id: str, home_area_id: str) -> dict:
    """The annotations of MEMBER_ANNOTATIONS, for a query whose rows hold the member's id and home
    area's id in the columns (or paths) named."""
    live = (
        RoleGrant.objects.filter(member=OuterRef(member_id), removed_at__isnull=True)
        .order_by()
        .values("member")
        .annotate(text=_Joined("role"))
        .values("text")
    )
    unread = (
        Notice.objects.filter(member=OuterRef(member_id), read_at__isnull=True)
        .order_by()
        .values("member")
        .annotate(count=Count("pk"))
        .values("count")
    )
    home_area_code = Area.objects.filter(pk=OuterRef(home_area_id)).order_by().values("code")
    return {
        "live_roles": Subquery(live),
        "unread_notices": Coalesce(Subquery(unread), 0),
        "home_area_code": Subquery(home_area_code),
    }


def _member_with_roles(*, member_id):
    annotations = member_annotations("pk", "home_area_id")
    return Member.objects.annotate(**annotations).filter(pk=member_id)[:1]


# Read on every request that has no session to read it with: its SQL built once.
_MEMBER = PreparedQuery(_member_with_roles)

# The session whose member the backend is asked for, while Django's auth asks (read_with).
_SESSION = ContextVar("session", default=None)


@contextmanager
def read_with(session):
    """While this lasts, a member that ``session`` read with itself (``session.member``) is the
    one the backend gives for that member's id, without a query of its own."""
    token = _SESSION.set(session)
    try:
        yield
    finally:
        _SESSION.reset(token)


class MemberBackend(ModelBackend):
    """settings.AUTHENTICATION_BACKENDS names this one: logging in is Django's."""

    def get_user(self, user_id):
        if not isinstance(user_id, int):  # the session's key, as auth.get_user gives it: an int
            return None
        member = getattr(_SESSION.get(), "member", None)
        if member is None or member.pk != user_id:
            found = _MEMBER.objects(values={"member_id": user_id})
            member = found[0] if found else None
        return member if member is not None and self.user_can_authenticate(member) else None
