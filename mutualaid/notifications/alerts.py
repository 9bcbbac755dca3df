"""Who hears what beyond a need's own people (issue 8, "Who hears what").

- A need opens (posted, reposted, back on the board): the volunteers who opted in and fit it hear
  of it (``need_opened_tell``), and, for a new need, the organizers who match needs
  (``need_waiting_tell``). Aid tells us by an event on commit (``aid.services.NEED_OPENED``),
  handed to a task with the need's id: a volunteer hears within seconds, not at the next
  housekeeping tick, and aid imports nothing of ours.
- Clocks (``housekeeping``): urgent needs nobody took on in time (``needs_unclaimed_alert``, once
  per need), the daily count of newcomers waiting (``newcomers_waiting_tell``) and the daily
  summary to the admins' chat address (``organizer_summary_send``).

Every notice goes through ``accounts.services.notify`` (in the app, and an outbox row per channel
the member chose); what leaves the app is ``content.public_message``: no private text.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mutualaid.accounts.policy import Capability
from mutualaid.accounts.selectors import members_who_can
from mutualaid.accounts.services import notify
from mutualaid.aid.models import Claim, Need, NeedStatus, Urgency, Visibility
from mutualaid.aid.selectors import volunteers_eligible_for
from mutualaid.lib import channels as registry
from mutualaid.lib import network_name
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings
from mutualaid.safety.models import Report
from mutualaid.trust.selectors import newcomers_waiting

from . import channels, content
from .models import DailyRun, NeedAlert, NeedAlerts, OrganizerHook, UnclaimedAlert

# An open need nobody has taken on this long after it opened is brought to the organizers once.
UNCLAIMED_AFTER = {
    Urgency.TODAY: timedelta(hours=2),
    Urgency.SOON: timedelta(hours=12),
    Urgency.WEEK: timedelta(days=2),
    # Urgency.ANYTIME: never.
}
# The daily messages go out at the first housekeeping tick after this hour, network time.
DAILY_HOUR = 8
NEWCOMERS = "newcomers"
SUMMARY = "summary"


def _local(now):
    return timezone.localtime(now, timezone.get_default_timezone())


def _midnight(now):
    return _local(now).replace(hour=0, minute=0, second=0, microsecond=0)


# Volunteers ----------------------------------------------------------------------------------


def need_alerts_set(
    *, member, enabled: bool, categories, per_day: int, quiet_from=None, quiet_until=None
) -> NeedAlerts:
    """The member's own opt-in to hear of needs that open near them."""
    if not 1 <= per_day <= 50:
        raise Refusal(_("Choose between 1 and 50 a day."), code="invalid")
    for hour in (quiet_from, quiet_until):
        if hour is not None and not 0 <= hour <= 23:
            raise Refusal(_("Choose an hour from 0 to 23."), code="invalid")
    with transaction.atomic():
        alerts, _created = NeedAlerts.objects.update_or_create(
            member=member,
            defaults={
                "enabled": bool(enabled),
                "per_day": per_day,
                "quiet_from": quiet_from,
                "quiet_until": quiet_until,
                "updated_at": timezone.now(),
            },
        )
        alerts.categories.set(categories)
    return alerts


def need_opened_tell(*, need_id: int, now=None) -> int:
    """Tell the volunteers who fit a need that has just opened; returns how many were told.

    They fit when they are eligible (``aid.selectors.volunteers_eligible_for``: vouched, under
    their limit, available today, no block either way), live in the need's area or one beside it,
    opted in with its kind of help ticked, were told fewer than their ``per_day`` today, are not in
    their quiet window (a need that opens then is not told to them: it is on the board, and
    tomorrow's news of it would be stale), and never held it (a volunteer who released it knows).
    Organizers-only and hidden needs are never told to volunteers. Each opening is told once.
    """
    now = now or timezone.now()
    need = Need.objects.select_related("area", "category").filter(pk=need_id).first()
    if (
        need is None
        or need.status != NeedStatus.OPEN
        or need.visibility != Visibility.MEMBERS
        or need.hidden_at is not None
    ):
        return 0
    local = _local(now)
    near = need.area.with_neighbor_ids()
    eligible = volunteers_eligible_for(
        need, network_cap=NetworkSettings.load().max_active_claims, weekday=local.weekday()
    )
    candidates = [member for member in eligible if member.home_area_id in near]
    held_before = set(Claim.objects.filter(need=need).values_list("volunteer_id", flat=True))
    opted_in = set(
        NeedAlerts.objects.filter(
            member__in=[member.pk for member in candidates],
            enabled=True,
            categories=need.category,
        ).values_list("member_id", flat=True)
    )
    told = 0
    for member in candidates:
        if member.pk in opted_in and member.pk not in held_before:
            told += _tell_volunteer(member, need, now=now, hour=local.hour, since=_midnight(now))
    return told


def _tell_volunteer(member, need: Need, *, now, hour: int, since) -> int:
    with transaction.atomic():
        # Locked: two needs opening at once count one after the other against the daily cap.
        alerts = NeedAlerts.objects.select_for_update().get(member=member)
        if not alerts.enabled or alerts.is_quiet_at(hour):
            return 0
        if NeedAlert.objects.filter(member=member, created_at__gte=since).count() >= (
            alerts.per_day
        ):
            return 0
        try:
            with transaction.atomic():
                NeedAlert.objects.create(
                    member=member, need=need, opened_at=need.status_changed_at, created_at=now
                )
        except IntegrityError:
            return 0  # this opening was told to them already (a task run twice)
        notify(member=member, kind="need_opened", summary=need.summary, need=need.code)
    return 1


# Organizers ----------------------------------------------------------------------------------


def need_waiting_tell(*, need_id: int) -> int:
    """A new need is waiting: each organizer who matches needs hears of it (organizers-only needs
    too: they are theirs to match). Not its requester, should they be one."""
    need = Need.objects.filter(pk=need_id, status=NeedStatus.OPEN, hidden_at__isnull=True).first()
    if need is None:
        return 0
    told = 0
    with transaction.atomic():
        for organizer in members_who_can(Capability.MATCH).exclude(pk=need.requester_id):
            notify(member=organizer, kind="need_waiting", summary=need.summary, need=need.code)
            told += 1
    return told


def need_triage_tell(*, need_id: int) -> int:
    """A new need waits for triage: each organizer who triages hears of it (not its requester,
    should they be one). Told only while it still waits."""
    need = Need.objects.filter(pk=need_id, status=NeedStatus.TRIAGE).first()
    if need is None:
        return 0
    told = 0
    with transaction.atomic():
        for triager in members_who_can(Capability.TRIAGE).exclude(pk=need.requester_id):
            notify(member=triager, kind="need_awaits_triage", summary=need.summary, need=need.code)
            told += 1
    return told


def _unclaimed(now):
    """Open needs nobody has taken on within their urgency's time."""
    overdue = Q(pk__in=[])
    for urgency, after in UNCLAIMED_AFTER.items():
        overdue |= Q(urgency=urgency, status_changed_at__lte=now - after)
    return Need.objects.filter(status=NeedStatus.OPEN, hidden_at__isnull=True).filter(overdue)


def needs_unclaimed_alert(*, now=None) -> int:
    """Tell the organizers who match needs of each urgent need nobody took on in time, once per
    need (an ``UnclaimedAlert`` row, unique per need, made in the notices' transaction).
    Returns how many needs were brought up."""
    now = now or timezone.now()
    due = (
        _unclaimed(now)
        .exclude(pk__in=UnclaimedAlert.objects.values("need_id"))
        .order_by("status_changed_at")[:200]
    )
    organizers = list(members_who_can(Capability.MATCH))
    alerted = 0
    for need in due:
        try:
            with transaction.atomic():
                UnclaimedAlert.objects.create(need=need, created_at=now)
                for organizer in organizers:
                    if organizer.pk != need.requester_id:
                        notify(
                            member=organizer,
                            kind="need_unclaimed",
                            summary=need.summary,
                            need=need.code,
                        )
        except IntegrityError:
            continue  # another worker brought it up a moment ago
        alerted += 1
    return alerted


def newcomers_waiting_tell(*, now=None) -> int:
    """Once a day (after DAILY_HOUR, network time): the organizers who approve members hear how
    many newcomers wait for a vouch or an approval, if any do. Returns how many were told."""
    now = now or timezone.now()
    local = _local(now)
    if local.hour < DAILY_HOUR:
        return 0
    count = newcomers_waiting().count()
    told = 0
    try:
        with transaction.atomic():
            DailyRun.objects.create(name=NEWCOMERS, day=local.date(), attempts=1, done_at=now)
            if count:
                for approver in members_who_can(Capability.APPROVE):
                    notify(member=approver, kind="newcomers_waiting", count=count)
                    told += 1
    except IntegrityError:
        return 0  # done today already
    return told


# The admins' daily summary -------------------------------------------------------------------


def organizer_hook_set(*, by, url: str) -> None:
    """The admins' chat address for the daily summary (empty: none). Sealed; who set it is kept."""
    if not by.can(Capability.CONFIGURE):
        raise Refusal(_("Only the network's admins can change this."), code="forbidden")
    url = url.strip()
    if url and not channels.is_chat_url(url):
        raise Refusal(_("This is not an address we can send to."), code="chat_url_invalid")
    with transaction.atomic():
        hook = OrganizerHook.objects.select_for_update().order_by("pk").first() or OrganizerHook()
        hook.url = url
        hook.updated_at = timezone.now()
        hook.updated_by = by
        hook.save()


def organizer_hook_url() -> str:
    hook = OrganizerHook.objects.order_by("pk").first()
    return hook.url if hook else ""


def organizer_summary(*, now=None) -> content.PublicMessage:
    """The summary's words: counts and links, never a summary, a handle or a detail. In the
    network's language (settings.LANGUAGE_CODE): the admins' chat is everyone's, nobody's own."""
    now = now or timezone.now()
    counts = [
        (_("Needs open"), Need.objects.filter(status=NeedStatus.OPEN).count(), "aid:board"),
        (_("Urgent needs nobody has taken on"), _unclaimed(now).count(), "aid:board"),
        (
            _("New safety reports (last 24 hours)"),
            Report.objects.filter(created_at__gte=now - timedelta(days=1)).count(),
            "safety:report_queue",
        ),
        (_("Newcomers waiting for a vouch"), newcomers_waiting().count(), "trust:tree"),
    ]
    return content.PublicMessage(
        kind=SUMMARY,
        title=_("Daily summary of %(network)s") % {"network": network_name.get()},
        facts=[
            f"{label}: {count} — {content.absolute(reverse(url_name))}"
            for label, count, url_name in counts
        ],
        link=content.absolute(reverse("aid:board")),
    )


def organizer_summary_send(*, now=None) -> bool:
    """Once a day (after DAILY_HOUR, network time), post the summary to the admins' chat address,
    if they set one. Claimed by a compare-and-set on the day's row; a failure is tried again at
    the next ticks, up to ``channels.MAX_ATTEMPTS``. Returns whether it was sent now."""
    now = now or timezone.now()
    local = _local(now)
    url = organizer_hook_url()
    if local.hour < DAILY_HOUR or not url:
        return False
    try:
        with transaction.atomic():
            run, _created = DailyRun.objects.get_or_create(name=SUMMARY, day=local.date())
    except IntegrityError:
        return False  # another worker made it a moment ago, and has it
    if run.done_at is not None or run.attempts >= registry.MAX_ATTEMPTS:
        return False
    claimed = DailyRun.objects.filter(
        pk=run.pk, done_at__isnull=True, attempts=run.attempts
    ).update(attempts=F("attempts") + 1)
    if claimed != 1:
        return False
    try:
        with translation.override(settings.LANGUAGE_CODE):
            message = organizer_summary(now=now)
        channels.post_to_chat(url, title=message.title, body=message.text)
    except Exception as error:  # noqa: BLE001  (any failure of the outside world is retried)
        DailyRun.objects.filter(pk=run.pk).update(error=type(error).__name__[:200])
        return False
    DailyRun.objects.filter(pk=run.pk).update(done_at=timezone.now(), error="")
    return True
