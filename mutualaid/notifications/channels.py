"""The two channels beyond the app: email (Django's mail settings) and chat tools (apprise).

Each ``send`` raises on failure, so the outbox worker retries it (``accounts.deliveries_send``).
What they carry is ``content.public_message``: never a notice's own parameters. Both write in the
recipient's language (``Member.interface_language``), whatever the worker's or the request's.
"""

import ipaddress
import socket

import apprise
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from mutualaid.lib import network_name
from mutualaid.lib.channels import Channel

from . import content, selectors
from .models import CHAT, EMAIL, ChatHook, Mode


def email_accepts(member, kind: str) -> bool:
    return bool(member.email) and selectors.mode_for(member, kind, EMAIL) == Mode.IMMEDIATELY


def email_send(notice) -> None:
    member = notice.member
    if not member.email:
        raise LookupError("the member has no email now")
    with translation.override(member.interface_language()):
        message = content.public_message(notice)
        send_email(member, [message], subject=message.title)


def send_email(member, messages: list, *, subject: str) -> None:
    """One email to ``member`` of ``messages``, each kind with its own unsubscribe link, in the
    member's language (the caller makes ``messages`` and ``subject`` in it too)."""
    unsubscribe = {
        message.kind: content.absolute(
            reverse(
                "notifications:unsubscribe",
                args=[content.unsubscribe_token(member, message.kind)],
            )
        )
        for message in messages
    }
    name = network_name.get()
    context = {
        "site_name": name,
        "messages": [(message, unsubscribe[message.kind]) for message in messages],
        "preferences": content.absolute(reverse("notifications:preferences")),
    }
    with translation.override(member.interface_language()):
        body = render_to_string("notifications/email/notices.txt", context)
    headers = {}
    if len(unsubscribe) == 1:  # one-click unsubscribe for mail clients (RFC 8058)
        headers["List-Unsubscribe"] = f"<{next(iter(unsubscribe.values()))}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    EmailMessage(f"[{name}] {subject}", body, None, [member.email], headers=headers).send()


def chat_accepts(member, kind: str) -> bool:
    return selectors.has_chat(member) and selectors.mode_for(member, kind, CHAT) == Mode.IMMEDIATELY


def chat_send(notice) -> None:
    hook = ChatHook.objects.filter(member=notice.member).first()
    if hook is None:
        raise LookupError("the member has no chat address now")
    with translation.override(notice.member.interface_language()):
        message = content.public_message(notice)
    post_to_chat(hook.url, title=message.title, body=message.text)


def post_to_chat(url: str, *, title: str, body: str) -> None:
    refusal = chat_url_refusal(url)  # again at send time: a name may now point elsewhere
    if refusal:
        raise ValueError(refusal)
    sender = apprise.Apprise()
    if not sender.add(url):
        raise ValueError("not an apprise URL")
    if not sender.notify(title=title, body=body):
        raise ConnectionError("the chat service did not take the message")


# Services that post to a host the URL names (self-hosted chat, generic webhooks): the server must
# not be made to post into its own network, so their host may not be a private address.
SELF_HOSTED = {
    "json",
    "jsons",
    "xml",
    "xmls",
    "form",
    "forms",
    "ntfy",
    "ntfys",
    "gotify",
    "gotifys",
    "mmost",
    "mmosts",
    "matrix",
    "matrixs",
    "rocket",
    "rockets",
    "apprise",
    "apprises",
    "nctalk",
    "nctalks",
    "ncloud",
    "nclouds",
    "mqtt",
    "mqtts",
    "signal",
    "signals",
}


def chat_url_refusal(url: str) -> str | None:
    """Why the server will not post to ``url`` (None: it will).

    Not an apprise URL; or a service hosted where the URL says whose host is (or resolves to) a
    loopback, private, link-local or reserved address — unless CHAT_ALLOW_PRIVATE_HOSTS is set
    (a network whose chat server lives beside it, and the tests, which post to 127.0.0.1).
    """
    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        return "not an apprise URL"
    scheme = url.split("://", 1)[0].lower()
    if scheme not in SELF_HOSTED or settings.CHAT_ALLOW_PRIVATE_HOSTS:
        return None
    host = getattr(plugin, "host", None) or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)} if host else set()
    except OSError:
        return "the chat server's name does not resolve"
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast:
            return "the chat server is on a private network"
    return None


def is_chat_url(url: str) -> bool:
    return chat_url_refusal(url) is None


EMAIL_CHANNEL = Channel(name=EMAIL, accepts=email_accepts, send=email_send)
CHAT_CHANNEL = Channel(name=CHAT, accepts=chat_accepts, send=chat_send)
