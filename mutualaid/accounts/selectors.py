"""Reads about one member, for that member only: every function takes the member it is about;
and who holds a capability (the organizers to tell of something)."""

from django.db.models import QuerySet

from .models import Level, Member, Notice
from .policy import roles_with


def notices_for(member: Member) -> QuerySet[Notice]:
    return Notice.objects.filter(member=member).order_by("-created_at", "-pk")


def unread_notice_count(member: Member) -> int:
    """As read with the logged-in member at the start of the request (accounts/backends.py), or
    counted now for a member read otherwise."""
    if hasattr(member, "unread_notices"):
        return member.unread_notices
    return Notice.objects.filter(member=member, read_at__isnull=True).count()


def members_who_can(capability: str) -> QuerySet[Member]:
    """Active, unsuspended members whose live roles carry ``capability``, each once, by pk."""
    ids = Member.objects.filter(
        role_grants__removed_at__isnull=True, role_grants__role__in=roles_with(capability)
    ).values("pk")
    return (
        Member.objects.filter(pk__in=ids, is_active=True)
        .exclude(level=Level.SUSPENDED)
        .order_by("pk")
    )
