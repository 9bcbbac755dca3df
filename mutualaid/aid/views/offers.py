from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mutualaid.lib import ratelimit
from mutualaid.lib.fragments import form_state, fragment_key
from mutualaid.lib.refusal import TEXT_CODES as SUMMARY_CODES
from mutualaid.lib.refusal import Refusal

from .. import selectors, services
from ..forms import BoardFilterForm, MatchForm, OfferForm

OFFERS_PAGE_SIZE = 50
# What the offers board's list and filters show: a write to any of them renders them again.
OFFER_BOARD_TABLES = (
    "aid_offer",
    "aid_offer_categories",
    "aid_offer_areas",
    "aid_category",
    "areas_area",
    "accounts_block",
)


@require_GET
@login_required
def offer_board(request):
    form = BoardFilterForm.for_request(request)
    filters = form.cleaned_data if form.is_valid() else {}
    number = request.GET.get("page")

    def page():  # read only when the kept results are not kept already
        offers = selectors.board_offers(
            viewer=request.user,
            area=filters.get("area"),
            include_neighbors=filters.get("near", False),
            category=filters.get("category"),
        )
        return Paginator(offers, OFFERS_PAGE_SIZE).get_page(number)

    context = {
        "form": form,
        "page": SimpleLazyObject(page),
        # An offer whose offerer blocked the viewer is not theirs to see: kept apart for them.
        "fragment_key": fragment_key(
            *OFFER_BOARD_TABLES,
            vary=[request.path, form_state(form), number, selectors.blocked_by(request.user)],
        ),
    }
    template = "aid/offer_board.html#results" if request.htmx else "aid/offer_board.html"
    return render(request, template, context, status=200 if form.is_valid() else 400)


@require_http_methods(["GET", "POST"])
@login_required
def offer_new(request):
    home = request.user.home_area
    form = OfferForm(
        request.POST if request.method == "POST" else None,
        initial={"areas": [home.code] if home else []},
    )
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_post(
                offerer=request.user,
                categories=form.cleaned_data["categories"],
                areas=form.cleaned_data["areas"],
                summary=form.cleaned_data["summary"],
                kind=form.cleaned_data["kind"],
                available_days=form.cleaned_data["available_days"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except Refusal as refusal:
            too_many = ratelimit.refusal_response(request, refusal)
            if too_many:
                return too_many
            form.add_error("summary" if refusal.code in SUMMARY_CODES else None, refusal.message)
        else:
            if offer.replayed:  # the same form, sent again: where the first one went
                messages.info(request, _("This offer was already posted: here it is."))
            else:
                messages.success(request, _("Your offer is posted. Thank you."))
            return redirect("aid:offer", code=offer.code)
    status = 422 if request.method == "POST" else 200
    return render(request, "aid/offer_new.html", {"form": form}, status=status)


def _render_offer(request, offer, *, match_form=None, status=200):
    member = request.user
    matchable = selectors.needs_matchable_to(offer, member) if offer.is_open() else None
    if matchable is not None and match_form is None:
        match_form = MatchForm(needs=matchable)
    context = {
        "offer": offer,
        "is_offerer": offer.is_offerer(member),
        "timeline": selectors.offer_timeline(offer),
        "match_form": match_form
        if matchable is not None and not offer.is_offerer(member)
        else None,
        "has_matchable": matchable is not None and matchable.exists(),
    }
    return render(request, "aid/offer_detail.html", context, status=status)


@require_GET
@login_required
def offer_detail(request, code):
    return _render_offer(request, selectors.offer_for_member(request.user, code))


@require_POST
@login_required
def offer_withdraw(request, code):
    offer = selectors.offer_for_member(request.user, code)
    try:
        services.offer_withdraw(offer=offer, member=request.user)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Your offer is withdrawn."))
    return redirect("aid:offer", code=offer.code)


@require_POST
@login_required
def offer_match(request, code):
    """The requester takes up this offer for one of their open needs."""
    offer = selectors.offer_for_member(request.user, code)
    form = MatchForm(request.POST, needs=selectors.needs_matchable_to(offer, request.user))
    if not form.is_valid():
        return _render_offer(request, offer, match_form=form, status=422)
    need = form.cleaned_data["need"]
    try:
        services.need_match_offer(need=need, offer=offer, member=request.user)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("aid:offer", code=offer.code)
    messages.success(
        request,
        _("Asked %(handle)s. Once they accept, you can write to them on your need's page.")
        % {"handle": offer.offerer.handle},
    )
    return redirect("aid:need", code=need.code)
