"""How we tell you: the member's own choices, the unsubscribe link from an email, and the admins'
chat address for the organizers' daily summary.

The choices page is about ``request.user`` only. The unsubscribe page needs no login: the signed
token in its address names the member and the kind; GET only shows a button (mail scanners fetch
links), POST unsubscribes.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from mutualaid.accounts.models import Member
from mutualaid.accounts.policy import Capability
from mutualaid.lib.access import capability_required

from . import alerts, content, selectors, services
from .forms import NeedAlertsForm, OrganizerHookForm, PreferencesForm


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request):
    member = request.user
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(
        selectors.modes_of(member), data, initial={"chat_url": selectors.chat_url_of(member)}
    )
    alerts_form = NeedAlertsForm(
        data, prefix="alerts", initial=selectors.need_alerts_initial(member)
    )
    if request.method == "POST" and form.is_valid() and alerts_form.is_valid():
        services.chat_url_set(member=member, url=form.cleaned_data["chat_url"])
        services.preferences_set(member=member, modes=form.modes())
        alerts.need_alerts_set(member=member, **alerts_form.cleaned_data)
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    context = {"form": form, "alerts_form": alerts_form, "has_email": bool(member.email)}
    status = 422 if request.method == "POST" else 200
    return render(request, "notifications/preferences.html", context, status=status)


# The token is the credential (nobody else has it), and mail clients' one-click unsubscribe
# (RFC 8058) POSTs without a CSRF token: the check would add nothing and break that.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        code, kind = content.read_unsubscribe_token(token)
        Member.objects.get(code=code, is_active=True)
    except (signing.BadSignature, Member.DoesNotExist, ValueError):
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    context = {"title": content.title(kind)}
    if request.method == "POST":
        services.unsubscribe(token=token)
        return render(request, "notifications/unsubscribe_done.html", context)
    return render(request, "notifications/unsubscribe.html", context)


@require_http_methods(["GET", "POST"])
@capability_required(Capability.CONFIGURE)
def organizer_hook(request):
    """The admins' chat address for the daily summary. The address is a secret (anyone who has it
    can post there): the page says whether one is set, never shows it back."""
    form = OrganizerHookForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        alerts.organizer_hook_set(by=request.user, url=form.cleaned_data["url"])
        messages.success(request, _("The summary's chat address is saved."))
        return redirect("notifications:organizer_hook")
    context = {"form": form, "has_url": bool(alerts.organizer_hook_url())}
    status = 422 if request.method == "POST" else 200
    return render(request, "notifications/organizer_hook.html", context, status=status)
