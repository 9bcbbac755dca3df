"""Needs written straight to the tables, for networks too large to play through the services (the
figures read only rows and times, which these set as the services would)."""

from datetime import timedelta

from mutualaid.aid.models import Claim, ClaimEnd, Need, NeedStatus


def add_needs(case, specs) -> list[Need]:
    """One need per spec: a dict with area, category, posted (a datetime), status (default
    closed), ended (default posted + 1 day, for an ended need), claimed_after (a timedelta, or
    None for never), volunteer (default the case's volunteer)."""
    needs = Need.objects.bulk_create(
        Need(
            requester=case.requester,
            category=spec.get("category", case.groceries),
            area=spec.get("area", case.north),
            summary="Bulk need",
            status=spec.get("status", NeedStatus.CLOSED),
            created_at=spec["posted"],
            status_changed_at=spec.get("ended", spec["posted"] + timedelta(days=1)),
            queue_at=spec["posted"],
        )
        for spec in specs
    )
    Claim.objects.bulk_create(
        Claim(
            need=need,
            volunteer=spec.get("volunteer", case.volunteer),
            created_at=spec["posted"] + spec["claimed_after"],
            progress_at=spec["posted"] + spec["claimed_after"],
            ended_at=spec["posted"] + spec["claimed_after"] + timedelta(minutes=1),
            end_reason=ClaimEnd.COMPLETED,
        )
        for need, spec in zip(needs, specs, strict=True)
        if spec.get("claimed_after") is not None
    )
    return needs
