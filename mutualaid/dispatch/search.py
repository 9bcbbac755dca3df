"""Search for organizers: words in needs' and offers' public summaries and in members' handles,
with filters. Private text (details, messages, notes, contacts) is never indexed, so it can never
be found.

The word index is the database's own: on SQLite, FTS5 tables with external content, kept by
triggers on the indexed tables; on PostgreSQL, GIN indexes over ``to_tsvector('simple', ...)``.
Both are made by migration 0001 (``install``); SQLite drops a table's triggers when Django remakes
the table in a later migration, so ``install`` runs again after every migrate, and rebuilds an
index whose triggers were gone.
"""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import connection as default_connection
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from mutualaid.accounts.models import Member
from mutualaid.aid.models import Claim, Need, Offer, Proposal

# (index name, table, the one public column indexed). Never a sealed column.
INDEXED = (
    ("dispatch_need_words", "aid_need", "summary"),
    ("dispatch_offer_words", "aid_offer", "summary"),
    ("dispatch_member_words", "accounts_member", "handle"),
)
MAX_WORDS = 8
# Sealed columns the results never show: left unread, so no private text is even decrypted.
NEED_SEALED = Need.SEALED
MEMBER_SEALED = Member.SEALED


# The SQL below is built from INDEXED's names alone (constants), and a query's words are bound
# as parameters after words_of() kept only letters and digits.


def _sqlite_statements(name, table, column) -> list[str]:
    insert = f"INSERT INTO {name}(rowid, {column}) VALUES (new.id, new.{column});"  # noqa: S608
    delete = (
        f"INSERT INTO {name}({name}, rowid, {column}) "  # noqa: S608
        f"VALUES ('delete', old.id, old.{column});"
    )
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING fts5({column}, content='{table}', "
        f"content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER IF NOT EXISTS {name}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {name}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {name}_au AFTER UPDATE OF {column} ON {table} "
        f"BEGIN {delete} {insert} END",
    ]


def install(connection=None) -> None:
    """Make the word indexes (and on SQLite their triggers) if they are missing."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name, table, column in INDEXED:
                cursor.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                    [f"{name}_a_"],
                )
                complete = cursor.fetchone()[0] == 3
                for statement in _sqlite_statements(name, table, column):
                    cursor.execute(statement)
                if not complete:  # new, or a remade table lost its triggers: index it afresh
                    cursor.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")  # noqa: S608
        elif connection.vendor == "postgresql":
            for name, table, column in INDEXED:
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                    f"USING gin (to_tsvector('simple'::regconfig, {column}))"
                )


def uninstall(connection=None) -> None:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        for name, _table, _column in INDEXED:
            if connection.vendor == "sqlite":
                for suffix in ("ai", "ad", "au"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}_{suffix}")
                cursor.execute(f"DROP TABLE IF EXISTS {name}")
            elif connection.vendor == "postgresql":
                cursor.execute(f"DROP INDEX IF EXISTS {name}")


def words_of(text: str) -> list[str]:
    """The words of a query, letters and digits only (nothing the index syntax would read)."""
    return re.findall(r"[^\W_]+", text.lower())[:MAX_WORDS]


def _matching(queryset: QuerySet, words: list[str]) -> QuerySet:
    """Rows whose indexed column holds every word (each as a word's start)."""
    if not words:
        return queryset
    name, table, column = next(row for row in INDEXED if row[1] == queryset.model._meta.db_table)
    if default_connection.vendor == "postgresql":
        terms = " & ".join(f"{word}:*" for word in words)
        return queryset.filter(
            RawSQL(  # noqa: S611
                f'to_tsvector(\'simple\'::regconfig, "{table}"."{column}") '
                "@@ to_tsquery('simple'::regconfig, %s)",
                [terms],
                output_field=BooleanField(),
            )
        )
    terms = " ".join(f'"{word}"*' for word in words)
    return queryset.filter(
        pk__in=RawSQL(f"SELECT rowid FROM {name} WHERE {name} MATCH %s", [terms])  # noqa: S608, S611
    )


@dataclass(frozen=True)
class Criteria:
    words: str = ""
    category: object = None
    area: object = None
    status: str = ""
    urgency: str = ""
    priority: str = ""
    since: object = None  # a date, inclusive
    until: object = None  # a date, inclusive
    volunteer: object = None  # a member


def _dates(field: str, criteria: Criteria) -> Q:
    q = Q()
    zone = timezone.get_current_timezone()
    if criteria.since:
        q &= Q(**{f"{field}__gte": datetime.combine(criteria.since, time.min, tzinfo=zone)})
    if criteria.until:
        end = datetime.combine(criteria.until + timedelta(days=1), time.min, tzinfo=zone)
        q &= Q(**{f"{field}__lt": end})
    return q


def search_needs(criteria: Criteria) -> QuerySet[Need]:
    """Needs, newest first. ``volunteer``: needs they held or were proposed."""
    needs = _matching(Need.objects.all(), words_of(criteria.words)).filter(
        _dates("created_at", criteria)
    )
    if criteria.category is not None:
        needs = needs.filter(category=criteria.category)
    if criteria.area is not None:
        needs = needs.filter(Q(area=criteria.area) | Q(area__parent=criteria.area))
    for field in ("status", "urgency", "priority"):
        if getattr(criteria, field):
            needs = needs.filter(**{field: getattr(criteria, field)})
    if criteria.volunteer is not None:
        held = Claim.objects.filter(need=OuterRef("pk"), volunteer=criteria.volunteer)
        asked = Proposal.objects.filter(need=OuterRef("pk"), volunteer=criteria.volunteer)
        needs = needs.filter(Q(Exists(held)) | Q(Exists(asked)))
    return (
        needs.select_related("category", "area").defer(*NEED_SEALED).order_by("-created_at", "-pk")
    )


def search_offers(criteria: Criteria) -> QuerySet[Offer]:
    """Offers, newest first. ``volunteer``: their offerer."""
    offers = _matching(Offer.objects.all(), words_of(criteria.words)).filter(
        _dates("created_at", criteria)
    )
    if criteria.category is not None:
        offers = offers.filter(
            pk__in=Offer.categories.through.objects.filter(category=criteria.category).values(
                "offer_id"
            )
        )
    if criteria.area is not None:
        offers = offers.filter(
            pk__in=Offer.areas.through.objects.filter(
                Q(area=criteria.area) | Q(area__parent=criteria.area)
            ).values("offer_id")
        )
    if criteria.status:
        offers = offers.filter(status=criteria.status)
    if criteria.volunteer is not None:
        offers = offers.filter(offerer=criteria.volunteer)
    return (
        offers.select_related("offerer")
        .defer(*[f"offerer__{name}" for name in MEMBER_SEALED])
        .prefetch_related("categories", "areas")
        .order_by("-created_at", "-pk")
    )


def search_members(criteria: Criteria):
    """Members by handle, newest first; ``area``: their home area; ``status``: their level."""
    members = _matching(get_user_model().objects.all(), words_of(criteria.words)).filter(
        _dates("date_joined", criteria)
    )
    if criteria.area is not None:
        members = members.filter(Q(home_area=criteria.area) | Q(home_area__parent=criteria.area))
    if criteria.status:
        members = members.filter(level=criteria.status)
    return members.select_related("home_area").defer(*MEMBER_SEALED).order_by("-date_joined", "-pk")
