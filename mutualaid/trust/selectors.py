"""Reads for the trust pages: the vouch tree, a member's vouches and invitations."""

import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet

from mutualaid.accounts.models import Level, Member, ProxyContact
from mutualaid.accounts.policy import Capability, roles_with

from .models import Invite, TrustEvent, TrustEventKind, Vouch


def newcomers_waiting() -> QuerySet[Member]:
    """Newcomers waiting for a vouch or an approval: active, not vouched yet, and not a caller
    whose account organizers still hold (they have not joined, and cannot be vouched)."""
    relayed = ProxyContact.objects.filter(member=OuterRef("pk"), taken_over_at__isnull=True)
    return Member.objects.filter(level=Level.NEWCOMER, is_active=True).exclude(Exists(relayed))


def vouches_given_by(member) -> QuerySet[Vouch]:
    return Vouch.objects.filter(voucher=member).select_related("vouchee").order_by("-created_at")


def vouches_received_by(member) -> QuerySet[Vouch]:
    return Vouch.objects.filter(vouchee=member).select_related("voucher").order_by("-created_at")


def invites_of(member) -> QuerySet[Invite]:
    return Invite.objects.filter(inviter=member).select_related("used_by").order_by("-created_at")


def invite_by_code(code) -> Invite | None:
    """The invitation a sign-up link names, if there is one (used or not)."""
    try:
        code = uuid.UUID(str(code))
    except ValueError:
        return None
    return Invite.objects.select_related("inviter").filter(code=code).first()


def trust_events_of(member, *, limit: int = 50) -> list[TrustEvent]:
    """A member's trust record, newest first, each event with ``shown_note``: the words to show.

    An event's own note is never private (see ``services.trust_event_record``). The suspension in
    force shows the member's reason, which only the member row keeps, sealed; a lifted suspension's
    reason is gone with it.
    """
    events = list(
        TrustEvent.objects.filter(member=member)
        .select_related("actor")
        .order_by("-created_at", "-pk")[:limit]
    )
    for event in events:
        event.shown_note = event.note
    if member.suspended_at is not None:
        for event in events:  # the newest suspension is the one in force
            if event.kind == TrustEventKind.SUSPENDED:
                if event.created_at >= member.suspended_at:
                    event.shown_note = member.suspension_reason
                break
    return events


def organizers_who_approve():
    """The organizers a newcomer can turn to: those whose roles approve members, by handle."""
    return list(
        Member.objects.filter(
            role_grants__removed_at__isnull=True,
            role_grants__role__in=roles_with(Capability.APPROVE),
            is_active=True,
        )
        .distinct()
        .order_by("handle")
        .values_list("handle", flat=True)
    )


# The vouch tree ---------------------------------------------------------------------------------
#
# Who vouched for whom, read a branch at a time so that the pages stay small at any size. Every
# vouch with a vouchee is an edge, revoked ones included (the tree is kept whole). Approved members
# are the roots; the members no root reaches hang from "unconnected" heads: those nobody still here
# vouched for, and one member of each circle of vouches that nothing else leads into. The walks are
# recursive queries (WITH RECURSIVE, the same text on SQLite and PostgreSQL) that cannot loop: the
# downward one to a page's members stops at a depth, the upward one too, and the others keep each
# row once (UNION).
#
# Two answers need a walk over the whole tree, or over whole branches: the unconnected heads, and
# how many members each head has below them. They are kept in the cache under the tree's stamp,
# which moves with every change to its shape, so they are walked again only after a change.

MEMBER_TABLE = Member._meta.db_table
VOUCH_TABLE = Vouch._meta.db_table
EVENT_TABLE = TrustEvent._meta.db_table
TREE_FIELDS = ("code", "handle", "level", "approved_at", "suspended_at", "review_hold_at")
BRANCH_DEPTH = 3  # levels shown under the member whose branch is open
BRANCH_NODES = 80  # at most this many members below them on one page, breadth first
PATH_LONGEST = 100  # an upward walk gives up after this many steps (a circle goes round until then)
KEPT_SECONDS = 24 * 3600

# The queries (see _rows for the names in braces).
STAMP_SQL = """
    SELECT (SELECT MAX(id) FROM {event}), (SELECT MAX(id) FROM {vouch}),
           (SELECT MAX(id) FROM {member}), (SELECT COUNT(*) FROM {member})
"""
# Everyone no root and no unvouched head leads to: members of circles, and those below them.
# (EXCEPT, not NOT IN: PostgreSQL's guess of the walk's size must not decide how it compares.)
ADRIFT_SQL = """
    WITH RECURSIVE reached(id) AS (
        SELECT m.id FROM {member} m
        WHERE m.approved_at IS NOT NULL OR NOT EXISTS (
            SELECT 1 FROM {vouch} v WHERE v.vouchee_id = m.id AND v.voucher_id IS NOT NULL
        )
        UNION
        SELECT v.vouchee_id FROM reached JOIN {vouch} v ON v.voucher_id = reached.id
        WHERE v.vouchee_id IS NOT NULL
    )
    SELECT handle, id FROM {member}
    WHERE id IN (SELECT id FROM {member} EXCEPT SELECT id FROM reached)
"""
# Each head with everyone below them once (UNION: a circle adds nothing new, and ends).
BELOW_SQL = """
    WITH RECURSIVE below(head, id) AS (
        SELECT id, id FROM {member} WHERE id IN ({ids})
        UNION
        SELECT below.head, v.vouchee_id FROM below JOIN {vouch} v ON v.voucher_id = below.id
        WHERE v.vouchee_id IS NOT NULL
    )
    SELECT head, COUNT(*) - 1, (
        SELECT COUNT(DISTINCT c.vouchee_id) FROM {vouch} c WHERE c.voucher_id = head
    )
    FROM below GROUP BY head
"""
# From each member up through those who vouched for them, stopping at approved members and after
# PATH_LONGEST steps; ``via`` is the member one step down, to find the way back.
UP_SQL = """
    WITH RECURSIVE up(start, id, depth, via) AS (
        SELECT id, id, 0, id FROM {member} WHERE id IN ({ids})
        UNION
        SELECT up.start, v.voucher_id, up.depth + 1, up.id
        FROM up
        JOIN {member} m ON m.id = up.id
        JOIN {vouch} v ON v.vouchee_id = up.id
        WHERE m.approved_at IS NULL AND v.voucher_id IS NOT NULL AND up.depth < %s
    )
    SELECT up.start, up.id, up.depth, up.via, m.approved_at IS NOT NULL
    FROM up JOIN {member} m ON m.id = up.id
    ORDER BY up.start, up.depth, up.id
"""
# From a page of vouches down BRANCH_DEPTH levels, breadth first, BRANCH_NODES rows at most, each
# with how many members its vouchee vouched for.
DOWN_SQL = """
    WITH RECURSIVE down(vouch, member, depth) AS (
        SELECT id, vouchee_id, 1 FROM {vouch} WHERE id IN ({ids})
        UNION ALL
        SELECT v.id, v.vouchee_id, down.depth + 1
        FROM down JOIN {vouch} v ON v.voucher_id = down.member
        WHERE v.vouchee_id IS NOT NULL AND down.depth < %s
    )
    SELECT down.vouch, down.depth, (
        SELECT COUNT(*) FROM {vouch} c WHERE c.voucher_id = down.member AND c.vouchee_id IS NOT NULL
    )
    FROM down ORDER BY down.depth, down.vouch LIMIT %s
"""


def _rows(sql: str, params=(), *, ids=()) -> list[tuple]:
    """Run one of the queries above: ``{member}``, ``{vouch}`` and ``{event}`` name the tables,
    ``{ids}`` stands for as many placeholders as ``ids`` has values (passed first)."""
    sql = sql.format(
        member=MEMBER_TABLE,
        vouch=VOUCH_TABLE,
        event=EVENT_TABLE,
        ids=", ".join(["%s"] * len(ids)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *params])
        return cursor.fetchall()


def _walk(sql: str, params=(), *, ids=()) -> list[tuple]:
    """Run one of the recursive queries above (see ``_rows``)."""
    if connection.vendor != "postgresql":
        return _rows(sql, params, ids=ids)
    # PostgreSQL cannot tell how many rows a recursive query makes, and its guess (billions)
    # would start the JIT compiler, which takes longer than the walk itself.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        return _rows(sql, params, ids=ids)


def tree_stamp() -> str:
    """A value that moves whenever the tree's shape may have changed: every vouch given or
    revoked and every approval given or withdrawn writes a trust event, and members join and
    leave. One cheap query (maxima of keys, a count of members)."""
    row = _rows(STAMP_SQL)[0]
    return ".".join(str(value or 0) for value in row)


def tree_members() -> QuerySet[Member]:
    return Member.objects.only(*TREE_FIELDS)


def tree_members_in_order(ids) -> list[Member]:
    """The members ``ids`` names, in that order (those gone since are left out)."""
    found = tree_members().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def tree_roots() -> QuerySet[Member]:
    """The approved members, by handle: the roots of the tree."""
    return tree_members().filter(approved_at__isnull=False).order_by("handle")


def tree_search(text: str) -> QuerySet[Member]:
    """Members whose handle holds ``text``, whatever its case, by handle."""
    return tree_members().filter(handle__icontains=text).order_by("handle")


def tree_unconnected(stamp: str) -> list[int]:
    """The heads of the branches no approved member reaches, by handle (their ids)."""
    key = f"trust:tree:{stamp}:unconnected"
    heads = cache.get(key)
    if heads is None:
        heads = _find_unconnected()
        cache.set(key, heads, KEPT_SECONDS)
    return heads


def _find_unconnected() -> list[int]:
    """Those nobody still here vouched for (and not approved), and, for each circle of vouches
    that none of them nor any approved member leads into, the first of its members by handle.

    Members in such a circle are found by walking down from every root and every unvouched head:
    whoever is not reached is in a circle or below one. Each circle head claims all it reaches.
    """
    unvouched = list(
        Member.objects.filter(approved_at__isnull=True)
        .exclude(Exists(Vouch.objects.filter(vouchee=OuterRef("pk"), voucher__isnull=False)))
        .values_list("handle", "pk")
    )
    adrift = _walk(ADRIFT_SQL)
    heads = unvouched
    if adrift:
        ids = [pk for _handle, pk in adrift]
        given: dict[int, list[int]] = {}
        for voucher, vouchee in Vouch.objects.filter(voucher__in=ids, vouchee__in=ids).values_list(
            "voucher", "vouchee"
        ):
            given.setdefault(voucher, []).append(vouchee)
        placed: set[int] = set()
        for handle, pk in sorted(adrift):
            if pk in placed:
                continue
            heads.append((handle, pk))
            reach = [pk]
            while reach:
                current = reach.pop()
                if current not in placed:
                    placed.add(current)
                    reach.extend(given.get(current, []))
    return [pk for _handle, pk in sorted(heads)]


def with_branch_figures(members: list[Member], stamp: str) -> list[Member]:
    """Set ``children`` (how many members they vouched for) and ``branch_size`` (everyone below
    them, each counted once) on each member: kept per member under the tree's stamp, and those
    not kept are counted by one recursive query."""
    keys = {member.pk: f"trust:tree:{stamp}:figures:{member.pk}" for member in members}
    kept = cache.get_many(list(keys.values())) if keys else {}
    missing = [pk for pk, key in keys.items() if key not in kept]
    if missing:
        rows = _walk(BELOW_SQL, ids=missing)
        counted = {keys[head]: (size, children) for head, size, children in rows}
        cache.set_many(counted, KEPT_SECONDS)
        kept.update(counted)
    for member in members:
        member.branch_size, member.children = kept.get(keys[member.pk], (0, 0))
    return members


def with_paths(members: list[Member]) -> list[Member]:
    """Set ``path`` on each member: the members from the top of their branch down to the one who
    vouched for them (empty for a root), by the fewest steps; and ``rooted``: whether that top is
    an approved member. One recursive query upward for them all, and one for the members met."""
    if not members:
        return members
    ids = [member.pk for member in members]
    rows = _walk(UP_SQL, [PATH_LONGEST], ids=ids)
    walks: dict[int, dict] = {}
    for start, member, _depth, via, approved in rows:
        walk = walks.setdefault(start, {"via": {}, "top": start, "rooted": False})
        if member in walk["via"]:
            continue  # met again further up: the shortest way is kept
        walk["via"][member] = via
        if not walk["rooted"]:  # the nearest approved member, else the farthest one met
            walk["top"], walk["rooted"] = member, bool(approved)
    paths = {}
    for start, walk in walks.items():
        path, current = [], walk["top"]
        while current != start:
            path.append(current)
            current = walk["via"][current]
        paths[start] = path
    met = tree_members().in_bulk({pk for path in paths.values() for pk in path})
    for member in members:
        member.path = [met[pk] for pk in paths.get(member.pk, []) if pk in met]
        member.rooted = walks.get(member.pk, {}).get("rooted", False)
    return members


def vouches_in_branch(member) -> QuerySet[Vouch]:
    """The vouches ``member`` gave to members still here, oldest first (revoked ones included)."""
    return Vouch.objects.filter(voucher=member, vouchee__isnull=False).order_by("created_at", "pk")


@dataclass
class BranchNode:
    """One member below the open branch, reached through ``vouch``."""

    vouch: Vouch
    depth: int
    children: list["BranchNode"] = field(default_factory=list)
    # How many members they vouched for are not shown under them here.
    more: int = 0
    # Shown already on this page (or above it): a link to that place stands in for the branch.
    repeated: bool = False

    @property
    def member(self) -> Member:
        return self.vouch.vouchee


def branch_below(member, vouch_ids: list[int], *, shown=()) -> list[BranchNode]:
    """The members ``member`` vouched for through ``vouch_ids`` (a page of them), each with those
    below them down to BRANCH_DEPTH levels, breadth first, at most BRANCH_NODES in all.

    A member met a second time (``shown``: already on the page, such as the path above) is marked
    ``repeated`` and not opened again, so a circle of vouches ends. Two queries whatever the size:
    the recursive walk down, and the vouches with their members.
    """
    if not vouch_ids:
        return []
    rows = _walk(DOWN_SQL, [BRANCH_DEPTH, BRANCH_NODES], ids=vouch_ids)
    vouches = (
        Vouch.objects.filter(pk__in={row[0] for row in rows})
        .select_related("vouchee")
        .only(
            "code",
            "voucher_id",
            "note",
            "created_at",
            "revoked_at",
            *(f"vouchee__{name}" for name in TREE_FIELDS),
        )
        .in_bulk()
    )
    placed = {member.pk, *shown}
    opened: dict[int, BranchNode] = {}  # member -> the one node where their branch is shown
    attached: set[int] = set()
    top: list[BranchNode] = []
    for vouch_id, depth, children in rows:
        vouch = vouches[vouch_id]
        if vouch_id in attached:
            continue
        if depth == 1:
            siblings = top
        else:
            parent = opened.get(vouch.voucher_id)
            if parent is None or parent.depth != depth - 1:
                continue  # reached through a member whose branch is shown elsewhere
            siblings = parent.children
        node = BranchNode(vouch=vouch, depth=depth, more=children)
        attached.add(vouch_id)
        siblings.append(node)
        if vouch.vouchee_id in placed:
            node.repeated, node.more = True, 0
        else:
            placed.add(vouch.vouchee_id)
            opened[vouch.vouchee_id] = node
    for node in opened.values():
        node.more -= len(node.children)
    order = {vouch_id: place for place, vouch_id in enumerate(vouch_ids)}
    return sorted(top, key=lambda node: order[node.vouch.pk])


def branch_rows(nodes: list[BranchNode]) -> list[BranchNode]:
    """The nodes in the order a nested list shows them, each told how many lists close after it
    (``closes``: a range, for the template), so that one loop draws the whole branch."""
    rows: list[BranchNode] = []

    def walk(siblings, closing):
        for place, node in enumerate(siblings):
            rows.append(node)
            after = closing if place == len(siblings) - 1 else 0  # lists ending with this one
            node.closes = range(0 if node.children else after)
            if node.children:
                walk(node.children, after + 1)

    walk(nodes, 0)
    return rows
