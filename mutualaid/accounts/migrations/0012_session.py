import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

BATCH = 1000


def copy_live_sessions(apps, schema_editor):
    """The sessions Django's table holds that have not expired, moved here, each with the member
    its data is logged in as: upgrading logs nobody out. Their data is copied as it is (Django's
    session stores sign it alike); Django's table, no longer read, is emptied."""
    from django.contrib.sessions.backends.db import SessionStore

    Old = apps.get_model("sessions", "Session")
    New = apps.get_model("accounts", "Session")
    Member = apps.get_model("accounts", "Member")
    store, batch = SessionStore(), []
    live = Old.objects.filter(expire_date__gt=timezone.now()).order_by("pk")
    for old in live.iterator(chunk_size=BATCH):
        batch.append(
            New(
                session_key=old.session_key,
                session_data=old.session_data,
                expire_date=old.expire_date,
                member_id=member_id_of(store.decode(old.session_data)),
            )
        )
        if len(batch) == BATCH:
            _write(New, Member, batch)
            batch = []
    _write(New, Member, batch)
    Old.objects.all().delete()


def member_id_of(data):
    try:
        return int(data["_auth_user_id"])
    except (KeyError, TypeError, ValueError):
        return None


def _write(New, Member, batch):
    members = set(
        Member.objects.filter(pk__in={s.member_id for s in batch if s.member_id}).values_list(
            "pk", flat=True
        )
    )
    # A session of a member no longer here is left behind, as it would log nobody in.
    New.objects.bulk_create([s for s in batch if s.member_id is None or s.member_id in members])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_proxy_change"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Session",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40,
                        primary_key=True,
                        serialize=False,
                        verbose_name="session key",
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                (
                    "expire_date",
                    models.DateTimeField(db_index=True, verbose_name="expire date"),
                ),
                (
                    "member",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "db_table": "accounts_session",
                "abstract": False,
            },
        ),
        migrations.RunPython(copy_live_sessions, migrations.RunPython.noop),
    ]
