from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("network/organizers/", views.organizers, name="organizers"),
    path(
        "network/organizers/<uuid:code>/<slug:role>/remove/",
        views.role_remove,
        name="role_remove",
    ),
    path("network/settings/", views.network_settings, name="settings"),
    path("network/areas/", views.areas, name="areas"),
    path("network/areas/<uuid:code>/", views.area, name="area"),
    path("network/categories/", views.categories, name="categories"),
    path("network/categories/<slug:slug>/", views.category_rename, name="category_rename"),
    path("network/categories/<slug:slug>/move/", views.category_move, name="category_move"),
]
