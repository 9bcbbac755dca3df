"""Vouching, invitations, and the organizers' trust pages (the vouch tree, a member's standing).

Who may act is decided by the services (see mutualaid/trust/services.py); the pages gate by role
too, so that a member without the role gets 403 before any lookup.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from mutualaid.accounts.models import Member
from mutualaid.accounts.policy import Capability
from mutualaid.accounts.views import session
from mutualaid.lib import ratelimit
from mutualaid.lib.access import capability_required
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings

from . import selectors, services
from .forms import InviteForm, RevokeForm, SuspendForm, VouchForm
from .models import Vouch

TREE_PAGE = 50  # branch heads (or members found) on a page of the vouch tree
BRANCH_PAGE = 20  # members a branch's head vouched for, on a page of the branch
SEARCH_MAX = 30  # a handle is at most this long


def member_for_organizer(code) -> Member:
    """A member, for an organizer page (the role is checked by the decorator)."""
    return get_object_or_404(Member, code=code)


def vouch_for_member(request, code) -> Vouch:
    """A vouch the member gave, or any vouch for a safety officer or admin; else 404."""
    vouch = Vouch.objects.select_related("vouchee", "voucher").filter(code=code).first()
    member = request.user
    if vouch is None or not (vouch.voucher_id == member.pk or member.can(services.REVOKERS)):
        raise Http404
    return vouch


@require_http_methods(["GET", "POST"])
@login_required
def vouch(request):
    initial = {"handle": request.GET.get("handle", "")}
    form = VouchForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        vouchee = form.cleaned_data["handle"]
        try:
            services.vouch_give(
                voucher=request.user, vouchee=vouchee, note=form.cleaned_data["note"]
            )
        except Refusal as refusal:
            too_many = ratelimit.refusal_response(request, refusal)
            if too_many:
                return too_many
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request, _("You vouch for %(handle)s. Thank you.") % {"handle": vouchee.handle}
            )
            return redirect("trust:my_vouches")
    context = {"form": form, "refusal": services.vouch_refusal(request.user)}
    status = 422 if request.method == "POST" else 200
    return render(request, "trust/vouch.html", context, status=status)


@require_http_methods(["GET"])
@login_required
def get_vouched(request):
    """For a newcomer: how vouching works, who the organizers are, and "ask to be vouched"."""
    context = {
        "network": NetworkSettings.load(),
        "organizers": selectors.organizers_who_approve(),
        "vouched": request.user.is_vouched(),
    }
    return render(request, "trust/get_vouched.html", context)


@require_POST
@login_required
def vouch_request(request):
    try:
        told = services.vouch_request(member=request.user)
    except Refusal as refusal:
        too_many = ratelimit.refusal_response(request, refusal)
        if too_many:
            return too_many
        messages.error(request, refusal.message)
    else:
        if told:
            messages.success(
                request,
                _(
                    "We told the organizers and the neighbors who asked to hear: someone who knows "
                    "you can now vouch for you."
                ),
            )
        else:
            messages.info(
                request,
                _("There is nobody to tell yet. Ask someone who knows you to vouch for you."),
            )
    return redirect("trust:get_vouched")


@require_POST
@login_required
def vouch_requests_hear(request):
    if not request.user.is_vouched():
        raise PermissionDenied
    hear = request.POST.get("hear") == "on"
    services.vouch_requests_hear(member=request.user, hear=hear)
    messages.success(
        request,
        _("We will tell you when a newcomer in your area asks to be vouched.")
        if hear
        else _("You will not hear of newcomers asking to be vouched."),
    )
    return redirect("trust:vouch")


@require_http_methods(["GET"])
@login_required
def my_vouches(request):
    context = {
        "given": selectors.vouches_given_by(request.user),
        "received": selectors.vouches_received_by(request.user),
    }
    return render(request, "trust/my_vouches.html", context)


@require_POST
@login_required
def vouch_revoke(request):
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a vouch to revoke."))
        return redirect("trust:my_vouches")
    vouch = vouch_for_member(request, form.cleaned_data["vouch"])
    try:
        services.vouch_revoke(vouch=vouch, by=request.user, reason=form.cleaned_data["reason"])
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The vouch is revoked."))
    if vouch.voucher_id == request.user.pk:
        return redirect("trust:my_vouches")
    if vouch.vouchee is None:  # they have left the network: their place in the tree is empty
        return redirect("trust:tree")
    return redirect("trust:member", code=vouch.vouchee.code)


@require_http_methods(["GET", "POST"])
@login_required
def invites(request):
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_create(inviter=request.user, note=form.cleaned_data["note"])
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Your invitation link is ready: send it to your friend."))
            return redirect("trust:invites")
    context = {
        "form": form,
        "refusal": services.vouch_refusal(request.user),
        "invites": selectors.invites_of(request.user),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "trust/invites.html", context, status=status)


@require_http_methods(["GET"])
@capability_required(Capability.VIEW_TRUST)
def tree(request):
    """The vouch tree a page of branches at a time: the approved members (its roots), the heads
    of the branches no approved member reaches (``show=unconnected``), or the members whose
    handle holds ``q``, each with the way up to the top of their branch."""
    query = request.GET.get("q", "").strip()[:SEARCH_MAX]
    unconnected = not query and request.GET.get("show") == "unconnected"
    stamp = selectors.tree_stamp()
    if query:
        members = selectors.tree_search(query)
    elif unconnected:
        members = selectors.tree_unconnected(stamp)
    else:
        members = selectors.tree_roots()
    page = Paginator(members, TREE_PAGE).get_page(request.GET.get("page"))
    heads = selectors.tree_members_in_order(page.object_list) if unconnected else list(page)
    selectors.with_branch_figures(heads, stamp)
    if query:
        selectors.with_paths(heads)
    context = {"page": page, "heads": heads, "query": query, "unconnected": unconnected}
    return render(request, "trust/tree.html", context)


@require_http_methods(["GET"])
@capability_required(Capability.VIEW_TRUST)
def tree_branch(request, code):
    """One member's branch: the way up to its top, who vouched for them, and those they vouched
    for (a page of them) with the members below, a few levels deep."""
    head = member_for_organizer(code)
    selectors.with_branch_figures([head], selectors.tree_stamp())
    selectors.with_paths([head])
    given = selectors.vouches_in_branch(head).values_list("pk", flat=True)
    page = Paginator(given, BRANCH_PAGE).get_page(request.GET.get("page"))
    nodes = selectors.branch_below(
        head, list(page.object_list), shown=[member.pk for member in head.path]
    )
    context = {
        "head": head,
        "page": page,
        "received": selectors.vouches_received_by(head)[:BRANCH_PAGE],
        "nodes": nodes,
        "rows": selectors.branch_rows(nodes),
    }
    return render(request, "trust/tree_branch.html", context)


@require_http_methods(["GET"])
@capability_required(Capability.VIEW_TRUST)
def member(request, code):
    shown = member_for_organizer(code)
    context = {
        "shown": shown,
        "received": selectors.vouches_received_by(shown),
        "given": selectors.vouches_given_by(shown),
        "events": selectors.trust_events_of(shown, limit=50),
        "suspend_form": SuspendForm(),
        "can_approve": request.user.can(services.APPROVERS),
        "can_suspend": request.user.can(services.SUSPENDERS),
        "can_revoke": request.user.can(services.REVOKERS),
    }
    return render(request, "trust/member.html", context)


def _act(request, code, action, done: str, **kwargs):
    shown = member_for_organizer(code)
    try:
        action(member=shown, by=request.user, **kwargs)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done % {"handle": shown.handle})
    return redirect("trust:member", code=shown.code)


@require_POST
@capability_required(services.APPROVERS)
def member_approve(request, code):
    return _act(request, code, services.member_approve, _("%(handle)s is approved."))


@require_POST
@capability_required(services.APPROVERS)
def member_approval_withdraw(request, code):
    done = _("The approval of %(handle)s is withdrawn.")
    return _act(request, code, services.member_approval_withdraw, done)


@require_POST
@capability_required(services.SUSPENDERS)
def member_unsuspend(request, code):
    return _act(request, code, services.member_unsuspend, _("%(handle)s is no longer suspended."))


# Joining by invitation ------------------------------------------------------------------------

INVITE_UNUSABLE = gettext_lazy(
    "This invitation link has expired or has already been used. You can still join: ask a member "
    "who knows you to vouch for you afterwards."
)


def _invite_greet(request, invite) -> None:
    """On the first page: whose vouch the friend will carry, or that the link no longer works.

    An unknown code gets the same words as a used or expired one.
    """
    if invite is not None and invite.is_usable():
        messages.info(
            request,
            _("%(handle)s invited you: you will join carrying their vouch.")
            % {"handle": invite.inviter.handle},
        )
    else:
        messages.warning(request, INVITE_UNUSABLE)


def _invite_accept(request, invite, member) -> None:
    """``member`` has just joined through ``invite``: record the inviter's vouch if it can be."""
    if invite is None:
        messages.warning(request, INVITE_UNUSABLE)
        return
    try:
        services.invite_use(invite=invite, member=member)
    except Refusal as refusal:
        messages.warning(request, f"{refusal.message} {_('You have joined as a newcomer.')}")
    else:
        messages.info(request, _("%(handle)s vouches for you.") % {"handle": invite.inviter.handle})


@require_http_methods(["GET", "POST"])
def join(request, code):
    """The sign-up page of an invitation link: the friend joins carrying the inviter's vouch.

    Open to anyone, like the sign-up page: the code is the secret. The form, its limits and the
    log-in are accounts' (``session.sign_up_attempt``); the invitation is used only once the
    member exists, and a refused invitation still leaves a plain sign-up.
    """
    invite = selectors.invite_by_code(code)
    if request.method == "GET":
        _invite_greet(request, invite)
    form, member, refused = session.sign_up_attempt(request)
    if refused:
        return refused
    if member is not None:
        _invite_accept(request, invite, member)
        return session.next_redirect(request)
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)
