from django.urls import path

from .views import account, language, reset, session, takeover

app_name = "accounts"

urlpatterns = [
    path("accounts/signup/", session.signup, name="signup"),
    path("accounts/login/", session.login, name="login"),
    path("accounts/logout/", session.logout, name="logout"),
    # A neighbor an organizer recorded needs for takes their account over (proxy intake).
    path("join/caller/", takeover.take_over, name="take_over"),
    path("accounts/password-reset/", reset.password_reset, name="password_reset"),
    # Before the link's pattern, which would take "set" for a token.
    path(
        "accounts/password-reset/<uuid:code>/set/",
        reset.password_reset_set,
        name="password_reset_set",
    ),
    path(
        "accounts/password-reset/<uuid:code>/<str:token>/",
        reset.password_reset_link,
        name="password_reset_link",
    ),
    path("me/account/", account.account, name="account"),
    path("me/account/password/", account.password_change, name="password_change"),
    path("me/notices/", account.notices, name="notices"),
    path("me/notices/read/", account.notices_read, name="notices_read"),
    # The footer's language picker (visitors and members).
    path("language/", language.set_language, name="set_language"),
]
