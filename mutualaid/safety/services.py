"""Every write about safety: reports, their handling, and blocks.

Handling a report is a compare-and-set on its status, so two safety officers can never both handle
it; the action, its note and who took it are written on the report row in the same transaction.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualaid.accounts import services as accounts_services
from mutualaid.accounts.policy import Capability
from mutualaid.accounts.services import notify
from mutualaid.aid import services as aid_services
from mutualaid.lib import ratelimit
from mutualaid.lib.refusal import Refusal
from mutualaid.trust import services as trust_services

from .models import DETAILS_MAX, NOTE_MAX, Report, ReportAction, ReportStatus, SubjectKind


def report_file(*, reporter, reason: str, details: str = "", **subject) -> Report:
    """``reporter`` reports one subject: ``member=``, ``need=``, ``offer=`` or ``message=``.

    The caller has checked that the reporter may see it.
    """
    (kind, target), *more = subject.items()
    if more or kind not in SubjectKind.values or target is None:
        raise TypeError("A report is about exactly one member, need, offer or message.")
    author = Report(kind=kind, **{kind: target}).subject_member()
    if author is not None and author.pk == reporter.pk:
        raise Refusal(_("You cannot report yourself or what you posted."), code="own_post")
    if len(details or "") > DETAILS_MAX:
        raise Refusal(
            _("Keep it to %(max)d characters.") % {"max": DETAILS_MAX}, code="too_long"
        )
    ratelimit.enforce("reports", str(reporter.code))
    return Report.objects.create(
        reporter=reporter, kind=kind, reason=reason, details=details, **{kind: target}
    )


def report_subject_label(report: Report) -> str:
    """How the reporter knew the subject, in words that hold no private text."""
    if report.kind == SubjectKind.MEMBER:
        return report.member.handle
    if report.kind == SubjectKind.NEED:
        return f"“{report.need.summary}”"
    if report.kind == SubjectKind.OFFER:
        return f"“{report.offer.summary}”"
    return _("a message about “%(summary)s”") % {"summary": report.message.claim.need.summary}


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
            notify(
                member=report.reporter, kind="report_handled", subject=report_subject_label(report)
            )
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
