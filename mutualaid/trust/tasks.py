"""Background work for trust, run by the task worker (`manage.py worker`)."""

from django_tasks import task

from mutualaid.accounts.models import Member

from .services import member_level_recompute


@task()
def members_level_recompute() -> int:
    """Work out every member's level again (not the suspended: they stay suspended), as after a
    change to the number of vouches the network requires (queued by apps.py on the network's
    settings changing). Returns how many were looked at."""
    done = 0
    members = Member.objects.filter(suspended_at__isnull=True).order_by("pk")
    for member in members.iterator():
        member_level_recompute(member=member)  # its own transaction, the row locked
        done += 1
    return done

