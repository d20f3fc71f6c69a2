"""Form pieces shared by every app's ModelForms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q

from regie.core.permissions import AnyUser, restrict_choices
from regie.core.pickers import use_pickers


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on ``form``: under the fields it names when the form has
    them, above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def formfield_for(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """Model field → form field, with web addresses typed without a scheme taken as https.

    Set it as ``Meta.formfield_callback`` of forms with a URLField (Django 6 default).
    """
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class PolicyModelForm(forms.ModelForm):  # type: ignore[type-arg]  # base for forms of any model
    """A ModelForm whose relation choices are limited to what ``user`` may see.

    The value already stored stays selectable even when the user may not see it, so that
    editing another field of an object does not fail on a choice they cannot change.
    """

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
                continue
            queryset = field.queryset
            visible = restrict_choices(queryset, user)
            current = self._current_pks(name)
            if current:
                field.queryset = queryset.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=current))
            else:
                field.queryset = visible
        use_pickers(self)

    def _current_pks(self, name: str) -> list[Any]:
        if self.instance.pk is None:
            return []
        try:
            model_field = self.instance._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only choice (an intervention's ticket): no value
            return []
        if model_field.many_to_many:
            return list(getattr(self.instance, name).values_list("pk", flat=True))
        value = getattr(self.instance, getattr(model_field, "attname", name), None)
        return [] if value is None else [value]


class DateInput(forms.DateInput):
    """A native date picker; the value is sent as ISO so every browser understands it."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)
