from django.urls import path

from . import views

app_name = "figures"

urlpatterns = [
    path("organize/figures/", views.dashboard, name="dashboard"),
    path("organize/figures/areas/", views.equity, name="equity"),
    path("organize/figures/figures.csv", views.export, name="export"),
    path("organize/figures/refresh/", views.refresh, name="refresh"),
    # The public page of the anonymous figures (disclosure.py), and its CSV.
    path("impact/", views.impact, name="impact"),
    path("impact/figures.csv", views.impact_export, name="impact_export"),
]
