"""The member's own account: details, password, notices, and links to the pages beyond.

Every page here is about ``request.user`` and nobody else: there is no record to look up, so there
is no other member's record to reach.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from mutualaid.lib.refusal import Refusal

from .. import selectors, services
from ..forms import AccountForm
from .language import remember_language

NOTICES_PER_PAGE = 50
NOTICES_ON_ACCOUNT = 5


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
@login_required
def account(request):
    member = request.user
    form = AccountForm(member, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.member_update(
                    member=member,
                    email=form.cleaned_data["email"],
                    home_area=form.cleaned_data["home_area"],
                )
                services.member_set_languages(
                    member=member, languages=form.cleaned_data["languages"]
                )
                services.member_set_language(member=member, language=form.cleaned_data["language"])
        except Refusal as refusal:
            form.add_error("languages", refusal.message)
        else:
            response = redirect("accounts:account")
            if member.language:  # from this answer on, and in this browser once logged out
                translation.activate(member.interface_language())
                remember_language(response, member.language)
            messages.success(request, _("Your details are saved."))
            return response
    status = 422 if request.method == "POST" else 200
    return _render_account(request, form=form, status=status)


def _render_account(request, *, form=None, status=200):
    member = request.user
    context = {
        "form": form if form is not None else AccountForm(member),
        "notices": selectors.notices_for(member)[:NOTICES_ON_ACCOUNT],
    }
    return render(request, "accounts/account.html", context, status=status)


@require_http_methods(["GET"])
@login_required
def notices(request):
    pages = Paginator(selectors.notices_for(request.user), NOTICES_PER_PAGE)
    page = pages.get_page(request.GET.get("page"))
    return render(request, "accounts/notices.html", {"page": page})


@require_POST
@login_required
def notices_read(request):
    services.notices_mark_read(member=request.user)
    return redirect(
        "accounts:account" if request.POST.get("back") == "account" else "accounts:notices"
    )


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        member = form.save()
        # This session goes on; every other session of the member ends with the old password.
        update_session_auth_hash(request, member)
        messages.success(request, _("Your password is changed. Other devices are logged out."))
        return redirect("accounts:account")
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/password_change.html", {"form": form}, status=status)
