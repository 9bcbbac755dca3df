from django.db import transaction

from .models import Member


def member_sign_up(*, handle, password, email="", home_area=None) -> Member:
    with transaction.atomic():
        return Member.objects.create_user(handle, password, email=email, home_area=home_area)
