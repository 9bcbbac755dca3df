"""Reads about one member, for that member only: every function takes the member it is about."""

from django.db.models import QuerySet

from .models import Member, Notice


def notices_for(member: Member) -> QuerySet[Notice]:
    return Notice.objects.filter(member=member).order_by("-created_at", "-pk")


def unread_notice_count(member: Member) -> int:
    return Notice.objects.filter(member=member, read_at__isnull=True).count()
