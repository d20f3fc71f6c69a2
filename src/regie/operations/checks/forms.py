"""Form of the check pages; rules (cron, time zone, schedule) live on the model."""

from __future__ import annotations

from typing import Any

from django import forms

from regie.core.forms import PolicyModelForm
from regie.core.models import Role, User
from regie.operations.checks.models import Check


class CheckForm(PolicyModelForm):
    class Meta:
        model = Check
        fields = [
            "name",
            "kind",
            "site",
            "assets",
            "owner",
            "description",
            "schedule_kind",
            "period_minutes",
            "cron",
            "time_zone",
            "grace_minutes",
            "start_grace_minutes",
            "min_duration_seconds",
            "min_size_bytes",
            "failure_keywords",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)  # noqa: S101  # a foreign key
        # Whoever looks after the job: someone of the IT team.
        owner.queryset = User.objects.filter(is_active=True, role__in=[Role.ADMIN, Role.TECHNICIAN])
