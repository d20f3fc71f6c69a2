"""A revoked token says why; an active one has no reason.

Separate from 0006, whose data migration fills the reasons: PostgreSQL runs each migration
in its own transaction, and the constraint is checked against the filled rows.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_api_token_scope_expiry_last_address"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(("revoked_at__isnull", True), ("revoked_reason", ""))
                | models.Q(
                    ("revoked_at__isnull", False), models.Q(("revoked_reason", ""), _negated=True)
                ),
                name="core_apitoken_revoked_with_reason",
                violation_error_message="A revoked token has a reason, an active one none.",
            ),
        ),
    ]
