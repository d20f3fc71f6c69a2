"""The round's forms: acknowledge an item, write a note or a hand-over note."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from regie.operations.daily.models import (
    COMMENT_MAX_LENGTH,
    ITEM_KEY_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    SOURCE_KEY_MAX_LENGTH,
)


class AcknowledgeForm(forms.Form):
    source = forms.CharField(max_length=SOURCE_KEY_MAX_LENGTH, widget=forms.HiddenInput)
    key = forms.CharField(max_length=ITEM_KEY_MAX_LENGTH, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: what you did or what is planned."),
    )


class NoteForm(forms.Form):
    # Both forms sit on the same page: distinct ids keep each label on its own field.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "note_%s")
        super().__init__(*args, **kwargs)

    text = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class HandOverForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "hand_over_%s")
        super().__init__(*args, **kwargs)

    text = forms.CharField(
        label=_("Hand-over note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the next person on duty needs to know."),
    )
