"""A member is a handle: a pseudonym, unique, shown everywhere. Everything else is optional."""

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

handle_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,29}$",
    _(
        "A handle is 3 to 30 letters, digits, dots, dashes or underscores, starting with a letter "
        "or digit."
    ),
)


class MemberManager(BaseUserManager):
    def get_by_natural_key(self, handle):
        # Handles are unique whatever their case, and one logs in with any case.
        return self.get(handle__iexact=handle)

    def create_user(self, handle, password=None, **fields):
        member = self.model(handle=handle, **fields)
        member.set_password(password)
        member.full_clean(exclude=["password"])
        member.save(using=self._db)
        return member

    def create_superuser(self, handle, password=None, **fields):
        fields["is_organizer"] = True
        return self.create_user(handle, password, **fields)


class Member(AbstractBaseUser):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    handle = models.CharField(
        _("handle"), max_length=30, unique=True, validators=[handle_validator]
    )
    email = models.EmailField(_("email (optional)"), blank=True)
    home_area = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Organizers triage, dispatch and keep the record. Finer roles come with the trust work.
    is_organizer = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    USERNAME_FIELD = "handle"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = MemberManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("handle"), name="member_handle_unique_ci"),
        ]

    def __str__(self):
        return self.handle

    def get_username(self):
        return self.handle


NOTICE_MAX = 300


class Notice(models.Model):
    """A short in-app notice to one member ("the volunteer for ... left the network").

    Never private text: a notice names a need only by its public summary.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="notices")
    text = models.CharField(max_length=NOTICE_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # A member's notices: WHERE member_id = ? ORDER BY created_at DESC
            models.Index(fields=["member", "created_at"], name="notice_member_idx"),
            # The header's count: WHERE member_id = ? AND read_at IS NULL
            models.Index(
                fields=["member"],
                condition=models.Q(read_at__isnull=True),
                name="notice_unread_idx",
            ),
        ]

    def __str__(self):
        return self.text

    def is_read(self) -> bool:
        return self.read_at is not None
