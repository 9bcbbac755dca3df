"""Triage and organizers' notes: what a triager does to a new need, and the words organizers keep
about a need.

Each service checks its actor, refuses bad input with a Refusal (changing nothing), moves the need
by a compare-and-set (the ends of triage are NEED_TRANSITIONS' "publish", "turn_down" and
"merge"), writes its timeline event in the same transaction, and tells the requester. Questions,
answers, notes and a decline's reason are private text: sealed, and never in a notice.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualaid.accounts.policy import Capability
from mutualaid.accounts.selectors import members_who_can
from mutualaid.accounts.services import notify
from mutualaid.lib import events
from mutualaid.lib.refusal import Refusal

from .models import (
    DETAILS_MAX,
    ENDED,
    NEED_TRANSITIONS,
    EventKind,
    Need,
    NeedNote,
    NeedStatus,
    NoteKind,
    Priority,
    Visibility,
    queue_at,
)
from .services import NEED_OPENED, STALE, _move, _notify_need, _record, _refuse_suspended

# A triager may set a need's priority while it waits for someone to take it on.
PRIORITY_IN = frozenset({NeedStatus.TRIAGE, NeedStatus.OPEN, NeedStatus.PROPOSED})
# ... and change its kind of help, area or visibility before anyone is asked to take it on.
CHANGE_IN = frozenset({NeedStatus.TRIAGE, NeedStatus.OPEN})


def _refuse_unless_triager(by) -> None:
    if by is None or not by.is_authenticated or not by.can(Capability.TRIAGE):
        raise Refusal(_("Only organizers who triage needs can do this."), code="forbidden")


def _refuse_unless_allowed(need: Need, action: str, by) -> None:
    """The table says who makes ``action`` (a triager) and from which states."""
    assert NEED_TRANSITIONS[action].by == "triager"
    _refuse_unless_triager(by)
    if not need.allows(action):
        raise Refusal(STALE, code="stale")


def _private_text(text: str, *, empty: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Refusal(empty, code="empty")
    if len(text) > DETAILS_MAX:
        raise Refusal(_("Keep it to %(max)d characters.") % {"max": DETAILS_MAX}, code="too_long")
    return text


def publish(*, need: Need, by) -> None:
    """Put a need waiting for triage on the board: volunteers hear of it as of a new need."""
    _refuse_unless_allowed(need, "publish", by)
    move = NEED_TRANSITIONS["publish"]
    now = timezone.now()
    with transaction.atomic():
        changed = Need.objects.filter(pk=need.pk, status__in=move.sources).update(
            status=move.target, status_changed_at=now
        )
        if changed != 1:
            raise Refusal(STALE, code="stale")
        need.status, need.status_changed_at = move.target, now
        _record(EventKind.NEED_PUBLISHED, actor=by, need=need)
        _notify_need(need.requester, "need_published", need)
        # Not services._move's "back on the board": a new need, for the organizers too.
        events.emit(NEED_OPENED, need_id=need.pk, posted=True)


def set_priority(*, need: Need, by, priority: str) -> bool:
    """Move a waiting need ahead in the dispatch queue (or back); returns whether it changed."""
    _refuse_unless_triager(by)
    if priority not in Priority.values:
        raise Refusal(_("Choose one of the options listed."), code="invalid")
    with transaction.atomic():
        fresh = Need.objects.select_for_update().get(pk=need.pk)
        if fresh.status not in PRIORITY_IN:
            raise Refusal(
                _("Only a need waiting for someone to take it on has a priority."), code="stale"
            )
        if fresh.priority == priority:
            return False
        fresh.priority = priority
        fresh.queue_at = queue_at(fresh.created_at, fresh.urgency, priority)
        fresh.save(update_fields=["priority", "queue_at"])
        need.priority, need.queue_at = fresh.priority, fresh.queue_at
        _record(EventKind.NEED_PRIORITISED, actor=by, need=need)
        _notify_need(need.requester, "need_prioritised", need)
    return True


def triage_change(*, need: Need, by, category=None, area=None, visibility=None) -> list[str]:
    """Correct a need's kind of help, area or visibility; returns the names of those that changed.

    The requester hears of each change in plain words (a kind of help and an area are public
    names; nothing private travels)."""
    _refuse_unless_triager(by)
    if visibility is not None and visibility not in Visibility.values:
        raise Refusal(_("Choose one of the options listed."), code="invalid")
    wanted = {"category": category, "area": area, "visibility": visibility}
    wanted = {name: value for name, value in wanted.items() if value is not None}
    with transaction.atomic():
        fresh = Need.objects.select_for_update().get(pk=need.pk)
        if fresh.status not in CHANGE_IN:
            raise Refusal(
                _("Only a need waiting for triage or on the board can be changed."),
                code="stale",
            )
        changed = [name for name, value in wanted.items() if getattr(fresh, name) != value]
        if not changed:
            return []
        for name in changed:
            setattr(fresh, name, wanted[name])
            setattr(need, name, wanted[name])
        fresh.save(update_fields=changed)
        _record(EventKind.NEED_TRIAGED, actor=by, need=need)
        requester = need.requester
        if "category" in changed:
            notify(
                member=requester,
                kind="need_recategorised",
                summary=need.summary,
                category=need.category.name,
                need=need.code,
            )
        if "area" in changed:
            notify(
                member=requester,
                kind="need_area_changed",
                summary=need.summary,
                area=need.area.name,
                need=need.code,
            )
        if "visibility" in changed:
            kind = (
                "need_for_organizers"
                if need.visibility == Visibility.ORGANIZERS
                else "need_for_members"
            )
            _notify_need(requester, kind, need)
    return changed


def ask_more(*, need: Need, by, question: str) -> NeedNote:
    """Ask the requester for more. The question is private (the need's page shows it to them and
    to organizers who read private text); the notice only says there is one."""
    _refuse_unless_triager(by)
    question = _private_text(question, empty=_("Write your question first."))
    if need.requester_id is None:
        raise Refusal(_("This need's requester has left: there is nobody to ask."), code="gone")
    with transaction.atomic():
        if not Need.objects.filter(pk=need.pk).exclude(status__in=ENDED).exists():
            raise Refusal(_("This need has ended: there is nothing more to ask."), code="stale")
        note = NeedNote.objects.create(need=need, author=by, kind=NoteKind.QUESTION, body=question)
        _record(EventKind.MORE_ASKED, actor=by, need=need)
        _notify_need(need.requester, "more_asked", need)
    return note


def answer_more(*, need: Need, member, text: str) -> NeedNote:
    """The requester answers the organizers' question; those who asked hear that they did."""
    if not need.is_requester(member):
        raise Refusal(
            _("Only the person who posted this need can answer for it."), code="forbidden"
        )
    _refuse_suspended(member)
    text = _private_text(text, empty=_("Write your answer first."))
    with transaction.atomic():
        asked_by = set(
            NeedNote.objects.filter(need=need, kind=NoteKind.QUESTION).values_list(
                "author_id", flat=True
            )
        )
        if not asked_by:
            raise Refusal(_("Nobody has asked anything about this need."), code="stale")
        if not Need.objects.filter(pk=need.pk).exclude(status__in=ENDED).exists():
            raise Refusal(_("This need has ended: no answer is needed."), code="stale")
        note = NeedNote.objects.create(need=need, author=member, kind=NoteKind.ANSWER, body=text)
        _record(EventKind.MORE_GIVEN, actor=member, need=need)
        for organizer in _organizers(asked_by - {member.pk}, Capability.TRIAGE):
            _notify_need(organizer, "more_given", need)
    return note


def _organizers(ids, capability):
    """The members of ``ids`` who still hold ``capability`` (roles change)."""
    return members_who_can(capability).filter(pk__in=ids)


def merge(*, need: Need, by, into: Need) -> None:
    """End ``need`` as the same as ``into``, which goes on; both pages link to each other.

    Its requester is told; when ``into`` is someone else's, without a word of who or which."""
    _refuse_unless_allowed(need, "merge", by)
    if into is None or into.pk == need.pk:
        raise Refusal(_("Choose another need to join this one to."), code="invalid")
    with transaction.atomic():
        target = Need.objects.select_for_update().filter(pk=into.pk).first()
        if target is None or target.status in ENDED:
            raise Refusal(
                _("That need has ended: join this one to a need that is still going on."),
                code="ended",
            )
        if Need.objects.filter(duplicate_of=need).exists():
            raise Refusal(
                _(
                    "Other requests were joined to this one already: join that need to this "
                    "one instead."
                ),
                code="chain",
            )
        _move(need, "merge", refusal=STALE, duplicate_of=target)
        _record(EventKind.NEED_MERGED, actor=by, need=need)
        _record(EventKind.NEED_MERGED, actor=by, need=target)
        if target.requester_id is not None and target.requester_id == need.requester_id:
            notify(
                member=need.requester,
                kind="need_merged_own",
                summary=need.summary,
                other=target.summary,
                need=target.code,
            )
        else:
            _notify_need(need.requester, "need_merged", need)


def decline(*, need: Need, by, reason: str, resources: str = "") -> None:
    """End a need as out of the network's scope, with the reason and where else to turn, both
    shown to its requester on its page (sealed: they speak of a person's situation)."""
    _refuse_unless_allowed(need, "turn_down", by)
    reason = _private_text(reason, empty=_("Say why, so that they understand."))
    resources = (resources or "").strip()
    text = f"{reason}\n\n{resources}" if resources else reason
    if len(text) > DETAILS_MAX:
        raise Refusal(_("Keep it to %(max)d characters.") % {"max": DETAILS_MAX}, code="too_long")
    with transaction.atomic():
        _move(need, "turn_down", refusal=STALE)
        need.decline_reason = text  # sealed: written by save(), never by update()
        need.save(update_fields=["decline_reason"])
        _record(EventKind.NEED_DECLINED, actor=by, need=need)
        _notify_need(need.requester, "need_turned_down", need)


def note_add(*, need: Need, by, body: str) -> NeedNote:
    """An organizers' note on a need: sealed, read only by organizers who read private text. The
    organizers who already wrote on this need hear that there is a new one (not its words)."""
    if by is None or not by.is_authenticated or not by.can(Capability.READ_PRIVATE):
        raise Refusal(
            _("Only organizers who read private details can keep notes on a need."),
            code="forbidden",
        )
    body = _private_text(body, empty=_("Write the note first."))
    with transaction.atomic():
        earlier = set(
            NeedNote.objects.filter(need=need)
            .exclude(kind=NoteKind.ANSWER)
            .values_list("author_id", flat=True)
        )
        note = NeedNote.objects.create(need=need, author=by, kind=NoteKind.INTERNAL, body=body)
        _record(EventKind.NOTE_ADDED, actor=by, need=need)
        for organizer in _organizers(earlier - {by.pk}, Capability.READ_PRIVATE):
            _notify_need(organizer, "note_added", need)
    return note
