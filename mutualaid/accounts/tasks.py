"""Background work for accounts, run by the task worker (`manage.py worker`)."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from mutualaid.lib import network_name

from . import services
from .models import Member


@task()
def send_password_reset(code: str | None, base_url: str, language: str = "") -> None:
    """Mail a reset link to the member with this code, if they are active and have an email.

    The page that asked enqueues this task whether or not it found anyone (``code`` is then
    None), so that its answer takes the same work and time either way. The email is in the
    member's language, else in ``language`` (the page's), else in the network's.
    """
    if code is None:
        return
    member = Member.objects.filter(code=code, is_active=True).exclude(email="").first()
    if member is None:
        return
    token = default_token_generator.make_token(member)
    context = {
        "handle": member.handle,
        "site_name": network_name.get(),
        "link": base_url + reverse("accounts:password_reset_link", args=[member.code, token]),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    with translation.override(member.interface_language(default=language)):
        subject = render_to_string("accounts/email/password_reset_subject.txt", context)
        body = render_to_string("accounts/email/password_reset.txt", context)
    send_mail(" ".join(subject.split()), body, None, [member.email])


@task()
def deliver(delivery_ids: list[int] | None = None) -> int:
    """Carry notices beyond the app: the outbox rows named (or every due one), each at most once.

    Handed only row ids, never text: a task's arguments are stored in clear.
    """
    return services.deliveries_send(delivery_ids=delivery_ids)


@task()
def clear_expired_sessions() -> None:
    """Delete the sessions past their expiry (Django's clearsessions, through the configured
    engine: accounts/sessions.py)."""
    call_command("clearsessions")
