"""How the public reaches the organizers: a contact form anyone may send (no email address shown,
no account needed), and the organizers' inbox of what was sent (mutualaid/dispatch/contact.py)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mutualaid.lib import ratelimit
from mutualaid.lib.access import capability_required
from mutualaid.lib.refusal import Refusal

from .. import contact
from ..models import CONTACT_BODY_MAX, CONTACT_NAME_MAX, CONTACT_REPLY_TO_MAX

INBOX_PAGE_SIZE = 25


class ContactForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your message"),
        max_length=CONTACT_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": gettext_lazy("Write a message.")},
    )
    name = forms.CharField(
        label=gettext_lazy("Your name (optional)"),
        max_length=CONTACT_NAME_MAX,
        required=False,
        help_text=gettext_lazy("Any name you like: a nickname is fine."),
    )
    reply_to = forms.CharField(
        label=gettext_lazy("How to answer you (optional)"),
        max_length=CONTACT_REPLY_TO_MAX,
        required=False,
        help_text=gettext_lazy(
            "An email, a phone number, or another way. Only the organizers see it, and only to "
            "answer you. Leave it empty if you want no answer."
        ),
    )

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        if member is not None:  # known by their handle
            del self.fields["name"]


@require_http_methods(["GET", "POST"])
def contact_page(request):
    member = request.user if request.user.is_authenticated else None
    form = ContactForm(request.POST if request.method == "POST" else None, member=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact.contact_message_send(
                sender=member,
                name=data.get("name", ""),
                reply_to=data["reply_to"],
                body=data["body"],
                address=ratelimit.client_address(request),
            )
        except Refusal as refusal:
            too_many = ratelimit.refusal_response(request, refusal)
            if too_many:
                return too_many
            form.add_error(refusal.code if refusal.code in form.fields else None, refusal.message)
        else:
            return redirect("dispatch:contact_sent")
    status = 422 if request.method == "POST" else 200
    return render(request, "dispatch/contact.html", {"form": form}, status=status)


@require_GET
def contact_sent(request):
    return render(request, "dispatch/contact_sent.html")


@require_GET
@capability_required(contact.READERS)
def contact_inbox(request):
    """Messages from neighbors, newest first: the waiting ones, or (``?show=handled``) those
    handled. Showing a member's message records the reading (contact.contact_messages_read)."""
    handled = request.GET.get("show") == "handled"
    page = Paginator(contact.contact_messages(handled=handled), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    shown = list(page.object_list)
    contact.contact_messages_read(shown, request.user)
    context = {"page": page, "shown": shown, "handled": handled}
    return render(request, "dispatch/contact_inbox.html", context)


@require_POST
@capability_required(contact.READERS)
def contact_handle(request, code):
    message = contact.contact_message_for(code, request.user)
    try:
        contact.contact_message_handle(message=message, organizer=request.user)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Marked handled."))
    return redirect("dispatch:contact_inbox")
