from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("me/privacy/", views.accesses, name="accesses"),
    path("me/account/export/", views.export, name="export"),
    path("me/account/delete/", views.delete, name="delete"),
]
