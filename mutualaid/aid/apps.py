from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "mutualaid.aid"
    verbose_name = "Needs and offers"
