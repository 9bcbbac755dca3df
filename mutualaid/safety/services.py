"""Every write about safety: reports, their handling, and blocks.

Handling a report is a compare-and-set on its status, so two safety officers can never both handle
it; the action, its note and who took it are written on the report row in the same transaction.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualaid.accounts import services as accounts_services
from mutualaid.accounts.policy import Capability
from mutualaid.accounts.selectors import members_who_can
from mutualaid.accounts.services import notify
from mutualaid.aid import services as aid_services
from mutualaid.aid.models import NeedStatus
from mutualaid.lib import ratelimit
from mutualaid.lib.refusal import Refusal
from mutualaid.trust import services as trust_services

from .models import (
    DETAILS_MAX,
    NOTE_MAX,
    Feedback,
    Outcome,
    Reason,
    Report,
    ReportAction,
    ReportStatus,
    Side,
    SubjectKind,
)


def report_file(
    *, reporter, reason: str, details: str = "", follow_up: bool = False, **subject
) -> Report:
    """``reporter`` reports one subject: ``member=``, ``need=``, ``offer=`` or ``message=``.

    The caller has checked that the reporter may see it. ``follow_up``: "unsafe" answered after a
    need closed (feedback_give), once per need, so neither the daily limit nor the rule against
    reporting one's own post applies (a requester whose volunteer has left reports the need).
    """
    (kind, target), *more = subject.items()
    if more or kind not in SubjectKind.values or target is None:
        raise TypeError("A report is about exactly one member, need, offer or message.")
    author = Report(kind=kind, **{kind: target}).subject_member()
    if author is not None and author.pk == reporter.pk and not follow_up:
        raise Refusal(_("You cannot report yourself or what you posted."), code="own_post")
    if len(details or "") > DETAILS_MAX:
        raise Refusal(
            _("Keep it to %(max)d characters.") % {"max": DETAILS_MAX}, code="too_long"
        )
    if not follow_up:
        ratelimit.enforce("reports", str(reporter.code))
    with transaction.atomic():
        report = Report.objects.create(
            reporter=reporter, kind=kind, reason=reason, details=details, **{kind: target}
        )
        # The safety officers hear that one is waiting: its code, never what it says (and not
        # the reporter, nor the member reported, should either be one).
        officers = members_who_can(Capability.HANDLE_REPORTS).exclude(pk=reporter.pk)
        if author is not None:
            officers = officers.exclude(pk=author.pk)
        for officer in officers:
            notify(member=officer, kind="report_filed", report=report.code)
    return report


def report_handled_notice(report: Report) -> dict:
    """The reporter's notice that their report was handled: its kind and parameters, naming the
    subject as the reporter knew it, in words that hold no private text. Only names are kept: the
    notice is worded in the reporter's language when it is read or sent."""
    if report.kind == SubjectKind.MEMBER:
        return {"kind": "report_handled", "subject": report.member.handle}
    if report.kind == SubjectKind.NEED:
        return {"kind": "report_handled", "subject": f"“{report.need.summary}”"}
    if report.kind == SubjectKind.OFFER:
        return {"kind": "report_handled", "subject": f"“{report.offer.summary}”"}
    return {"kind": "report_handled_message", "summary": report.message.claim.need.summary}


def report_handle(
    *, report: Report, officer, action: str, note: str = "", flag_branch: bool = False
) -> None:
    """A safety officer acts on an open report; the reporter is told it has been handled.

    ``note``: for a warning, the words the member reads; for a suspension, the reason they see.
    """
    if not officer.can(Capability.HANDLE_REPORTS):
        raise Refusal(_("Only safety officers handle reports."), code="forbidden")
    if action not in report.actions():
        raise Refusal(_("That cannot be done with this report."), code="invalid")
    if action in (ReportAction.WARN, ReportAction.SUSPEND) and not note.strip():
        raise Refusal(_("Write what the member will read."))
    if len(note) > NOTE_MAX:
        raise Refusal(_("Keep it to %(max)d characters.") % {"max": NOTE_MAX}, code="too_long")
    now = timezone.now()
    status = ReportStatus.DISMISSED if action == ReportAction.DISMISS else ReportStatus.ACTIONED
    with transaction.atomic():
        changed = Report.objects.filter(pk=report.pk, status=ReportStatus.OPEN).update(
            status=status, handled_by=officer, handled_at=now, action=action
        )
        if changed != 1:
            raise Refusal(_("Another safety officer has just handled this report."))
        if action == ReportAction.HIDE:
            post = report.subject_post()
            if post.hidden_at is None:
                aid_services.post_hide(post=post, by=officer)
        elif action == ReportAction.WARN:
            notify(member=report.subject_member(), kind="warned", note=note)
        elif action == ReportAction.SUSPEND:
            member_suspend(
                member=report.subject_member(), by=officer, reason=note, flag_branch=flag_branch
            )
        if report.reporter_id is not None:
            notify(member=report.reporter, **report_handled_notice(report))
        # The note is sealed, so save() writes it, last: a refusal above leaves the report alone.
        report.action_note = note
        if note:
            report.save(update_fields=["action_note"])
    report.status, report.handled_by, report.handled_at = status, officer, now
    report.action = action


def member_suspend(*, member, by, reason: str, flag_branch: bool = False) -> None:
    """A safety officer suspends ``member`` (the trust record, see trust.services.member_suspend);
    the needs they hold go back on the board at once, their requesters told."""
    with transaction.atomic():
        trust_services.member_suspend(
            member=member, by=by, reason=reason, flag_branch=flag_branch
        )
        aid_services.needs_release_held(member=member)


# Blocks are the accounts app's (aid reads them); the safety pages call these.
member_block = accounts_services.member_block
member_unblock = accounts_services.member_unblock


def feedback_give(*, need, member, outcome: str, unsafe: bool, words: str = "") -> Feedback:
    """After ``need`` closed as done, its requester or its volunteer answers privately, once: did
    it meet the need (``outcome``), and did anything feel unsafe. The answer is for organizers
    only. "Unsafe" also opens a report in the safety queue, reason "unsafe", with the words: about
    the volunteer when the requester answers (or the need, if the volunteer has left), about the
    need (whose member is its requester) when the volunteer answers, so that an anonymous
    requester's handle never reaches the volunteer's "report handled" notice."""
    if need.status != NeedStatus.CLOSED:
        raise Refusal(
            _("You can say how it went once the need is closed as done."), code="stale"
        )
    volunteer = need.completed_by()
    if need.is_requester(member):
        side, subject = Side.REQUESTER, ({"member": volunteer} if volunteer else {"need": need})
    elif volunteer is not None and volunteer.pk == member.pk:
        side, subject = Side.VOLUNTEER, {"need": need}
    else:
        raise Refusal(
            _("Only the person who asked and the volunteer who helped answer for this need."),
            code="forbidden",
        )
    if outcome not in Outcome.values:
        raise Refusal(_("Choose one of the options listed."), code="invalid")
    words = (words or "").strip()
    if len(words) > DETAILS_MAX:
        raise Refusal(_("Keep it to %(max)d characters.") % {"max": DETAILS_MAX}, code="too_long")
    already = Refusal(
        _("You have already told us how it went for this need. Thank you!"), code="already"
    )
    if Feedback.objects.filter(need=need, side=side).exists():
        raise already
    try:
        with transaction.atomic():
            report = None
            if unsafe:
                report = report_file(
                    reporter=member,
                    reason=Reason.UNSAFE,
                    details=words,
                    follow_up=True,
                    **subject,
                )
            return Feedback.objects.create(
                need=need,
                member=member,
                side=side,
                outcome=outcome,
                unsafe=unsafe,
                words=words,
                report=report,
            )
    except IntegrityError:  # the same answer sent twice at once: the constraint's guard
        raise already from None
