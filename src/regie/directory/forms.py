"""Forms of the directory pages; fields come from the models."""

from __future__ import annotations

from typing import Any

from django import forms

from regie.core.forms import DateInput, PolicyModelForm
from regie.core.models import Role, User
from regie.core.permissions import manages
from regie.directory.models import Department, Organisation, Person, Room, Site


class OrganisationForm(PolicyModelForm):
    class Meta:
        model = Organisation
        exclude = ["created_at", "updated_at"]


class SiteForm(PolicyModelForm):
    class Meta:
        model = Site
        exclude = ["created_at", "updated_at"]
        widgets = {"access_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if manages(self.user):
            correspondents = self.fields["correspondents"]
            assert isinstance(correspondents, forms.ModelMultipleChoiceField)  # noqa: S101  # a M2M
            correspondents.queryset = User.objects.filter(role=Role.CORRESPONDENT, is_active=True)
        else:
            # Correspondents may edit their site but not choose who else corresponds for it.
            del self.fields["correspondents"]


class RoomForm(PolicyModelForm):
    class Meta:
        model = Room
        exclude = ["created_at", "updated_at"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class DepartmentForm(PolicyModelForm):
    class Meta:
        model = Department
        exclude = ["created_at", "updated_at"]


class PersonForm(PolicyModelForm):
    class Meta:
        model = Person
        exclude = ["created_at", "updated_at"]
        widgets = {"arrival_date": DateInput(), "departure_date": DateInput()}
