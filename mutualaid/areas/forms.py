"""The area field every form that asks "where?" uses."""

from django.utils.translation import gettext_lazy as _

from mutualaid.lib.forms import CodeChoiceField

from .models import Area


class AreaChoiceField(CodeChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Area.objects.order_by("name"))
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault(
            "error_messages", {"invalid_choice": _("Choose one of the areas listed.")}
        )
        super().__init__(**kwargs)
