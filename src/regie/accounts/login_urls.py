"""Signing in: the password step (``/login/``), the second step, and the passkey ceremonies
(django-otp-webauthn's, under its own ``otp_webauthn`` namespace, which its scripts expect)."""

from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from regie.accounts import views, webauthn

webauthn_patterns = (
    [
        path(
            "registration/begin/",
            webauthn.BeginRegistration.as_view(),
            name="credential-registration-begin",
        ),
        path(
            "registration/complete/",
            webauthn.CompleteRegistration.as_view(),
            name="credential-registration-complete",
        ),
        path(
            "authentication/begin/",
            webauthn.BeginAuthentication.as_view(),
            name="credential-authentication-begin",
        ),
        path(
            "authentication/complete/",
            webauthn.CompleteAuthentication.as_view(),
            name="credential-authentication-complete",
        ),
        path(
            "jsi18n/",
            JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
            name="js-i18n-catalog",
        ),
    ],
    "otp_webauthn",
)

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/verify/", views.verify, name="login-verify"),
    path("passkeys/", include(webauthn_patterns)),
]
