"""Suite-wide test settings that differ from a server's, set once before any test runs."""

from django.conf import settings

TEST_FIELD_KEYS = (
    "t1:dGVzdC1rZXktb25lLW5ldmVyLWluLXByb2R1Y3Rpb24=,"
    "t2:dGVzdC1rZXktdHdvLW5ldmVyLWluLXByb2R1Y3Rpb24="
)


def pytest_configure(config):
    # Tests serve static files from the source tree, not from a collected, hashed manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    # Background tasks run at once, inside the test, on the test's own database connection.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # A key ring of two keys, so that rotation is exercised; the newest ("t2") seals.
    settings.FIELD_KEYS = TEST_FIELD_KEYS
    # Argon2 at full strength makes every login in the suite slow; the hasher order is tested apart.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
