"""When the database cannot write: its disk is full, or it is read-only.

Every write runs in one transaction (a service's), so a write that fails this way rolls back
whole: nothing half-written stays, and nothing written before is touched. What is left is to tell
the member so, in words, instead of a 500: the 503 page says that nothing they sent was saved,
that what was saved before is safe, and to try again later (with Retry-After). The admins get an
error in the log that names the cause. Reads go on working meanwhile.

The page is rendered without the database (no member, no notices): the connection may be the
very thing that failed.
"""

import logging

from django.db import DatabaseError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Seconds: someone has to free space (or make the database writable) first.
RETRY_AFTER = 300

DISK_FULL = "disk full"
READ_ONLY = "read-only"

# SQLite's primary result codes (an extended code keeps its primary one in its low byte).
SQLITE_CODES = {8: READ_ONLY, 13: DISK_FULL, 14: READ_ONLY}  # READONLY, FULL, CANTOPEN
# PostgreSQL's SQLSTATEs: disk_full, and read_only_sql_transaction (a standby, or a database
# set read-only to stop it filling up).
SQLSTATES = {"53100": DISK_FULL, "25006": READ_ONLY}
# The same errors in words, for a driver or a path that gives no code.
WORDS = {
    "database or disk is full": DISK_FULL,
    "no space left on device": DISK_FULL,
    "could not extend file": DISK_FULL,
    "could not write": DISK_FULL,
    "attempt to write a readonly database": READ_ONLY,
    "unable to open database file": READ_ONLY,
}


def cannot_write(exc: BaseException) -> str | None:
    """Why the database refused to write (DISK_FULL or READ_ONLY), if ``exc`` says so; else None.

    Django raises its own DatabaseError from the driver's error, which holds the code: SQLite's
    ``sqlite_errorcode``, psycopg's ``sqlstate``."""
    if not isinstance(exc, DatabaseError):
        return None
    cause = exc.__cause__ or exc
    code = getattr(cause, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in SQLITE_CODES:
        return SQLITE_CODES[code & 0xFF]
    state = getattr(cause, "sqlstate", None)
    if state in SQLSTATES:
        return SQLSTATES[state]
    text = str(cause).lower()
    return next((reason for words, reason in WORDS.items() if words in text), None)


def unavailable(request) -> HttpResponse:
    """The 503 page; for htmx, its sentence alone, shown in the page's notice area."""
    if getattr(request, "htmx", False):
        response = HttpResponse(render_to_string("503.html#not-saved"), status=503)
        response["HX-Retarget"] = "#flash"
        response["HX-Reswap"] = "innerHTML"
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


class DiskFullMiddleware:
    """Turns a view's write that the database refused (full, read-only) into the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        reason = cannot_write(exception)
        if reason is None:
            return None
        logger.error(
            "The database could not write (%s): %s %s was answered 503, nothing saved.",
            reason,
            request.method,
            request.path,
            exc_info=exception,
        )
        return unavailable(request)
