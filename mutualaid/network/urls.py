from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("about/", views.about, name="about"),
    path("network/settings/", views.network_settings, name="settings"),
]
