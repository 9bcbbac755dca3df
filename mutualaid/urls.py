from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("mutualaid.accounts.urls")),
    path("", include("mutualaid.aid.urls")),
    path("", include("mutualaid.areas.urls")),
    path("", include("mutualaid.network.urls")),
    path("", include("mutualaid.trust.urls")),
    path("", include("mutualaid.privacy.urls")),
    path("", include("mutualaid.safety.urls")),
    path("", include("mutualaid.notifications.urls")),
    path("", include("mutualaid.dispatch.urls")),
    path("", include("mutualaid.figures.urls")),
    path("", include("mutualaid.api.urls")),
    path("", include("mutualaid.spreadsheets.urls")),
]

# The 500 page; under /api/, the API's JSON error instead.
handler500 = "mutualaid.api.views.docs.server_error"
