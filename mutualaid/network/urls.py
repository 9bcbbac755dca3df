from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("network/settings/", views.network_settings, name="settings"),
]
