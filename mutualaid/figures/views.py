"""The figures' pages: the organizers' dashboard, the areas side by side, the CSV of the figures,
a refresh on demand; and the public page of the anonymous figures, with its CSV."""

import csv
import io
import re

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mutualaid.accounts.policy import Capability
from mutualaid.lib.access import capability_required
from mutualaid.lib.fragments import cached, fragment_key

from . import charts, selectors, services, tasks, waits
from .forms import EquityFilterForm, FiguresFilterForm
from .templatetags.figures import percent, public_count

# What the pages show: a write to any of these renders them again.
TABLES = (
    "figures_dailyfigure",
    "figures_dailywait",
    "figures_refresh",
    "aid_need",
    "aid_claim",
    "areas_area",
    "aid_category",
    "network_networksettings",
)
PUBLIC_TABLES = ("figures_dailyfigure", "figures_dailywait", "areas_area", "aid_category")


def _week(day) -> str:
    return formats.date_format(day, "j M")


class Dashboard:
    """The dashboard's figures and charts, read only when the template renders them (not at all
    when its fragment comes from the cache)."""

    def __init__(self, scope: dict):
        self.scope = scope

    @cached_property
    def figures(self) -> dict:
        return selectors.dashboard(**self.scope)

    @cached_property
    def weekly_chart(self):
        weeks = self.figures["weeks"]
        return charts.bars(
            key="chart-weekly",
            title=_("Needs per week: received, fulfilled, cancelled and expired"),
            table_id="table-weekly",
            labels=[_week(row["week"]) for row in weeks],
            series=[
                (_("received"), [row["received"] for row in weeks]),
                (_("fulfilled"), [row["fulfilled"] for row in weeks]),
                (_("cancelled"), [row["cancelled"] for row in weeks]),
                (_("expired"), [row["expired"] for row in weeks]),
            ],
        )

    @cached_property
    def age_rows(self) -> list[dict]:
        names = {
            (0, 1): _("under a day"),
            (1, 3): _("1 to 3 days"),
            (3, 7): _("3 to 7 days"),
            (7, 14): _("1 to 2 weeks"),
            (14, 28): _("2 to 4 weeks"),
            (28, None): _("4 weeks or more"),
        }
        return [
            {"name": names[row["from_days"], row["to_days"]], "count": row["count"]}
            for row in self.figures["backlog"]["by_age"]
        ]

    @cached_property
    def backlog_chart(self):
        return charts.hbars(
            key="chart-backlog",
            title=_("Needs not yet taken on, by how long ago they were posted"),
            table_id="table-backlog",
            rows=[(row["name"], row["count"], str(row["count"])) for row in self.age_rows],
        )


@require_GET
@capability_required(Capability.VIEW_FIGURES)
def dashboard(request):
    form = FiguresFilterForm(request.GET)
    context = {
        "form": form,
        "board": Dashboard(form.scope()),
        # The stale needs link to the dispatch queue for who may open it.
        "fragment_key": fragment_key(
            *TABLES, vary=[request.get_full_path(), request.user.can(Capability.MATCH)]
        ),
        "csv_query": request.GET.urlencode(),
    }
    return render(
        request, "figures/dashboard.html", context, status=200 if form.is_valid() else 400
    )


@require_POST
@capability_required(Capability.VIEW_FIGURES)
def refresh(request):
    """Bring the stored figures up to date now: today's (and yesterday's) are computed again at
    once; the very first time, every day is, in the background."""
    if selectors.refreshed_at() is None:
        tasks.refresh_figures.enqueue()
        messages.info(request, _("The figures are being computed: they show in a few minutes."))
    else:
        services.figures_refresh()
        messages.success(request, _("The figures are up to date."))
    return redirect("figures:dashboard")


class Equity:
    def __init__(self, scope: dict):
        self.scope = scope

    @cached_property
    def figures(self) -> dict:
        return selectors.equity(category=self.scope["category"], weeks=self.scope["weeks"])

    @cached_property
    def rate_chart(self):
        figures = self.figures
        shown = [
            a for a in figures["areas"] if a["rate"] is not None and a["ended"] >= figures["fewest"]
        ]
        shown.sort(key=lambda a: (a["rate"], a["name"].lower()))
        network = figures["network"]["rate"]
        return charts.hbars(
            key="chart-equity",
            title=_("Share of ended needs fulfilled, per area, lowest first"),
            table_id="table-equity",
            rows=[(a["name"], a["rate"] * 100, percent(a["rate"])) for a in shown[:20]],
            top=100,
            reference=(network * 100, _("network: %(rate)s") % {"rate": percent(network)})
            if network is not None
            else None,
        )


@require_GET
@capability_required(Capability.VIEW_FIGURES)
def equity(request):
    form = EquityFilterForm(request.GET)
    context = {
        "form": form,
        "board": Equity(form.scope()),
        "fragment_key": fragment_key(*TABLES, vary=[request.get_full_path()]),
    }
    return render(request, "figures/equity.html", context, status=200 if form.is_valid() else 400)


def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(filename: str, rows: list[list]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@capability_required(Capability.VIEW_FIGURES)
def export(request):
    """The dashboard's weekly figures as CSV: counts only, nobody in them."""
    form = FiguresFilterForm(request.GET)
    scope = form.scope()
    figures = selectors.weekly(**scope)
    area = scope["area"].name if scope["area"] else _("all areas")
    category = scope["category"].name if scope["category"] else _("all kinds")
    rows = [
        [
            "week_from",
            "area",
            "kind_of_help",
            *selectors.FLOW,
        ]
    ]
    for row in figures["weeks"]:
        rows.append(
            [row["week"].isoformat(), area, category, *(row[name] for name in selectors.FLOW)]
        )
    return _csv("figures.csv", rows)


QUARTER = re.compile(r"(\d{4})-q([1-4])")


def _quarter(text: str):
    match = QUARTER.fullmatch(text or "")
    return (int(match[1]), int(match[2])) if match else None


def _public(quarter):
    return cached(
        "public-figures",
        PUBLIC_TABLES,
        lambda: selectors.public_figures(quarter=quarter),
        vary=[quarter],
    )


@require_GET
def impact(request):
    """The public page: what the network did in a whole quarter, in counts no one can be picked
    out of (see disclosure.py)."""
    asked = request.GET.get("quarter")
    quarter = _quarter(asked) if asked else None
    quarters = selectors.public_quarters()
    unknown = bool(asked) and quarter not in quarters
    figures = _public(None if unknown else quarter) if quarters else None
    context = {"figures": figures, "quarters": quarters, "unknown": unknown}
    return render(request, "figures/impact.html", context, status=400 if unknown else 200)


@require_GET
def impact_export(request):
    """The public figures of one quarter as CSV, as the public page shows them."""
    asked = request.GET.get("quarter")
    quarter = _quarter(asked) if asked else None
    quarters = selectors.public_quarters()
    if (asked and quarter not in quarters) or not quarters:
        raise Http404(_("There are no figures for that quarter."))
    figures = _public(quarter)
    period = figures["period"]
    label = f"{period['year']}-q{period['quarter']}"
    rows = [["quarter", "figure", "group", "value"]]
    for name in ("received", "fulfilled", "volunteers"):
        rows.append([label, name, "", public_count(figures[name])])
    median = figures["first_claim_median"]
    rows.append([label, "first_claim_median", "", waits.describe(median) if median else ""])
    for dimension in ("by_area", "by_category"):
        for group in figures[dimension]["groups"]:
            name = group["name"] or (
                _("other areas") if dimension == "by_area" else _("other kinds")
            )
            for measure in figures[dimension]["measures"]:
                rows.append([label, f"{measure}_{dimension}", name, group["counts"][measure]])
    return _csv(f"impact-{label}.csv", rows)
