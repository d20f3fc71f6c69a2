"""API tokens get a scope, an expiry, the address they were last used from, the role they
were created under and why they were revoked.

Tokens that exist when this runs had all their user's rights and no end: they become
read-write tokens (so that the scripts using them keep working) that expire 365 days after
this migration runs, created under their user's effective role at that moment. Tokens already
revoked are marked "revoked by its user or an administrator". Reversing drops the new
columns (the scopes and expiries are lost).
"""

from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone


def existing_tokens_keep_their_rights(apps, schema_editor):
    ApiToken = apps.get_model("core", "ApiToken")
    expires_at = timezone.now() + timedelta(days=365)
    for token in ApiToken.objects.select_related("user"):
        token.scope = "read-write"
        token.expires_at = expires_at
        token.role = "admin" if token.user.is_superuser else token.user.role
        token.revoked_reason = "revoked" if token.revoked_at is not None else ""
        token.save(update_fields=["scope", "expires_at", "role", "revoked_reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_outgoing_mail"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Read only"), ("read-write", "Read and write")],
                default="read",
                max_length=10,
                verbose_name="scope",
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="role",
            field=models.CharField(
                choices=[
                    ("admin", "Administrator"),
                    ("technician", "Technician"),
                    ("reader", "Reader"),
                    ("correspondent", "Site correspondent"),
                    ("staff", "Staff"),
                ],
                default="",
                editable=False,
                max_length=20,
                verbose_name="created as",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(
                blank=True, help_text="Empty: never expires.", null=True, verbose_name="expires at"
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="last_used_address",
            field=models.GenericIPAddressField(
                blank=True, null=True, verbose_name="last used from"
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("revoked", "By its user or an administrator"),
                    ("disabled", "Account disabled"),
                    ("password", "Password changed"),
                    ("role", "Role changed"),
                ],
                max_length=10,
                verbose_name="revoked because",
            ),
        ),
        migrations.RunPython(existing_tokens_keep_their_rights, migrations.RunPython.noop),
    ]
