"""A member is a handle: a pseudonym, unique, shown everywhere. Everything else is optional."""

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from mutualaid.trust.models import Level

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
        """An approved admin: the first organizer of a network (`manage.py createsuperuser`)."""
        from mutualaid.trust.models import Role, RoleGrant

        fields.setdefault("level", Level.VOUCHED)
        fields.setdefault("approved_at", timezone.now())
        fields.setdefault("vouched_since", fields["approved_at"])
        member = self.create_user(handle, password, **fields)
        RoleGrant.objects.create(member=member, role=Role.ADMIN)
        return member


class Member(AbstractBaseUser):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    handle = models.CharField(
        _("handle"), max_length=30, unique=True, validators=[handle_validator]
    )
    email = models.EmailField(_("email (optional)"), blank=True)
    home_area = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Trust (see mutualaid/trust): the level is kept by the trust services, never set by hand.
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.NEWCOMER)
    vouched_since = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the member who vouched for them was suspended: newcomer until vouched or approved
    # again after this moment.
    review_hold_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=300, blank=True)
    # Limits a volunteer sets against burnout (the network caps the first).
    max_active_claims = models.PositiveSmallIntegerField(null=True, blank=True)
    available_days = models.JSONField(default=list, blank=True)
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

    @cached_property
    def roles(self) -> frozenset[str]:
        """The roles held now, read once per request (a removed role is gone on the next one)."""
        if self.pk is None:
            return frozenset()
        live = self.role_grants.filter(removed_at__isnull=True)
        return frozenset(live.values_list("role", flat=True))

    def has_role(self, *roles) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_organizer(self) -> bool:
        """Any organizer role: triager, dispatcher, safety officer or admin."""
        return bool(self.roles)

    def is_vouched(self) -> bool:
        return self.level == Level.VOUCHED

    def is_suspended(self) -> bool:
        return self.level == Level.SUSPENDED

    def claim_limit(self, network_cap: int) -> int:
        """How many needs they may hold at once: their own limit, never above the network's."""
        return min(self.max_active_claims or network_cap, network_cap)

    def is_available_on(self, weekday: int) -> bool:
        """Whether they said they take needs on that weekday (0 = Monday); no days said: any."""
        return not self.available_days or weekday in self.available_days


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
