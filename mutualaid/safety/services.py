"""Every write about safety: reports, their handling, and blocks.

Handling a report is a compare-and-set on its status, so two safety officers can never both handle
it; the action, its note and who took it are written on the report row in the same transaction.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualaid.accounts.services import notice_send
from mutualaid.lib.refusal import Refusal
from mutualaid.trust.services import member_suspend

from .models import Block, Report, ReportAction, ReportStatus, SubjectKind


def report_file(*, reporter, reason: str, details: str = "", **subject) -> Report:
    """``reporter`` reports one subject: ``member=``, ``need=``, ``offer=`` or ``message=``.

    The caller has checked that the reporter may see it.
    """
    (kind, target), *more = subject.items()
    if more or kind not in SubjectKind.values or target is None:
        raise TypeError("A report is about exactly one member, need, offer or message.")
    author = Report(kind=kind, **{kind: target}).subject_member()
    if author is not None and author.pk == reporter.pk:
        raise Refusal(_("You cannot report yourself or what you posted."))
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
    if action not in report.actions():
        raise Refusal(_("That cannot be done with this report."))
    if action in (ReportAction.WARN, ReportAction.SUSPEND) and not note.strip():
        raise Refusal(_("Write what the member will read."))
    now = timezone.now()
    status = ReportStatus.DISMISSED if action == ReportAction.DISMISS else ReportStatus.ACTIONED
    with transaction.atomic():
        changed = Report.objects.filter(pk=report.pk, status=ReportStatus.OPEN).update(
            status=status, handled_by=officer, handled_at=now, action=action, action_note=note
        )
        if changed != 1:
            raise Refusal(_("Another safety officer has just handled this report."))
        if action == ReportAction.HIDE:
            post = report.subject_post()
            type(post).objects.filter(pk=post.pk, hidden_at__isnull=True).update(hidden_at=now)
        elif action == ReportAction.WARN:
            notice_send(
                member=report.subject_member(),
                text=_("A warning from the network's safety officers: %(note)s") % {"note": note},
            )
        elif action == ReportAction.SUSPEND:
            member_suspend(
                member=report.subject_member(), by=officer, reason=note, flag_branch=flag_branch
            )
        if report.reporter_id is not None:
            notice_send(
                member=report.reporter,
                text=_("Thank you: your report about %(subject)s has been handled.")
                % {"subject": report_subject_label(report)},
            )
    report.status, report.handled_by, report.handled_at = status, officer, now
    report.action, report.action_note = action, note


def member_block(*, blocker, blocked, label: str = "") -> Block:
    """``blocker`` blocks ``blocked``: silently (nobody tells the blocked member). Blocking twice
    is the same as once."""
    if blocked.pk == blocker.pk:
        raise Refusal(_("You cannot block yourself."))
    try:
        with transaction.atomic():
            return Block.objects.create(
                blocker=blocker, blocked=blocked, label=label or blocked.handle
            )
    except IntegrityError:  # already blocked
        return Block.objects.get(blocker=blocker, blocked=blocked)


def member_unblock(*, block: Block) -> None:
    block.delete()
