from django.urls import path

from . import views

app_name = "areas"

urlpatterns = [
    path("network/areas/", views.areas, name="areas"),
    path("network/areas/<uuid:code>/", views.area, name="area"),
]
