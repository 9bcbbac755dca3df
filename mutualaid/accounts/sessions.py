"""Sessions kept in the database (settings.SESSION_ENGINE names this module), each read with the
member logged in to it, in one query.

A logged-in page needs both, on every request: the session says who is logged in, and the member's
row says who they are (their roles, their unread notices: accounts/backends.py). Read apart, they
were two round trips, to Redis and to the database, a sixth of the cheapest logged-in page. Here the
session row names its member in a column of its own (``Session.member``), and its query brings the
member's row and what comes with it; Django's auth is handed that member
(``AuthenticationMiddleware``) and checks it as it checks any: the backend's path, the session's
password hash, an active account.

Sessions are written rarely (lib/sessions.py renews one at most hourly), and every web process reads
the same rows, so a session started behind one server holds behind another, and a log-out anywhere
ends it everywhere.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.utils import timezone

from mutualaid.lib.prepared import PreparedQuery

from .backends import MEMBER_ANNOTATIONS, member_annotations
from .models import Session


def _session_with_member(*, session_key, now):
    return (
        Session.objects.select_related("member")
        .annotate(**member_annotations("member_id", "member__home_area_id"))
        .filter(session_key=session_key, expire_date__gt=now)
    )


# Read on every request that brings a session cookie: its SQL built once.
_SESSION = PreparedQuery(_session_with_member)


def member_id_of(data: dict) -> int | None:
    """The member a session's data is logged in as (Django keeps the id as a string)."""
    try:
        return int(data[SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return None


class SessionStore(db.SessionStore):
    # The member read with the session (None: nobody logged in, or not read yet).
    member = None

    @classmethod
    def get_model_class(cls):
        return Session

    def _get_session_from_db(self):
        found = _SESSION.objects(values={"session_key": self.session_key, "now": timezone.now()})
        if not found:
            self._session_key = None
            self.member = None
            return None
        session = found[0]
        self.member = session.member
        if self.member is not None:
            for name in MEMBER_ANNOTATIONS:
                setattr(self.member, name, getattr(session, name))
        return session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.member_id = member_id_of(data)
        return session
