from django.urls import path

from . import views

app_name = "spreadsheets"

urlpatterns = [
    # Moving over from spreadsheets: a CSV in, its columns matched, a dry run, the import.
    path("organize/import/", views.import_start, name="import"),
    path("organize/import/<uuid:code>/", views.upload_page, name="upload"),
    path(
        "organize/import/<uuid:code>/rejected.csv",
        views.upload_rejected,
        name="upload_rejected",
    ),
    # CSV exports for organizers (exporting.py): one address per kind.
    path("organize/export/needs.csv", views.export, {"kind": "needs"}, name="export_needs"),
    path("organize/export/offers.csv", views.export, {"kind": "offers"}, name="export_offers"),
    path(
        "organize/export/resources.csv",
        views.export,
        {"kind": "resources"},
        name="export_resources",
    ),
]
