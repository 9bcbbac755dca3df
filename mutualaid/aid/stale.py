"""When a waiting need turns stale: posted longer ago than its urgency's threshold in the
network's settings. The one rule, for the dispatch queue and the figures alike."""

from datetime import timedelta

from django.db.models import BooleanField, Case, DateTimeField, Q, Value, When

from mutualaid.network.models import NetworkSettings

from .models import Urgency


def stale_hours(settings: NetworkSettings) -> dict[str, int]:
    """The network's stale thresholds, by urgency."""
    return {
        Urgency.TODAY: settings.stale_hours_today,
        Urgency.SOON: settings.stale_hours_soon,
        Urgency.WEEK: settings.stale_hours_week,
        Urgency.ANYTIME: settings.stale_hours_anytime,
    }


def stale_since(*, now, settings: NetworkSettings) -> Case:
    """When a need of each urgency turns stale if posted before: a CASE over urgency of "now
    minus that urgency's hours" (one comparison a row, in SQL)."""
    return Case(
        *[
            When(urgency=urgency, then=Value(now - timedelta(hours=hours)))
            for urgency, hours in stale_hours(settings).items()
        ],
        output_field=DateTimeField(),
    )


def stale_q(*, now, settings: NetworkSettings) -> Q:
    """A need posted longer ago than its urgency's threshold (the condition, in SQL)."""
    return Q(created_at__lt=stale_since(now=now, settings=settings))


def stale_case(*, now, settings: NetworkSettings) -> Case:
    """Whether each need is stale, as a column."""
    return Case(
        When(stale_q(now=now, settings=settings), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
