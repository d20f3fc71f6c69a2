from django.urls import path

from regie.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.security, name="security"),
    path("factors/add/", views.factor_add, name="factor-add"),
    path(
        "factors/totp/<int:pk>/remove/", views.factor_remove, {"kind": "totp"}, name="totp-remove"
    ),
    path(
        "factors/passkey/<int:pk>/remove/",
        views.factor_remove,
        {"kind": "webauthn"},
        name="passkey-remove",
    ),
    path("recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/<int:pk>/end/", views.session_end, name="session-end"),
    path("sessions/end-others/", views.sessions_end_others, name="sessions-end-others"),
]
