"""Forms of the helpdesk pages and the portal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from regie.assets.models import Asset
from regie.assets.permissions import asset_policy
from regie.core.collation import french_key
from regie.core.forms import PolicyModelForm
from regie.core.models import User
from regie.core.permissions import AnyUser
from regie.core.pickers import PickerSelectMultiple
from regie.directory.models import Person
from regie.helpdesk.choices import Level, TicketStatus, WaitingFor
from regie.helpdesk.models import Category, Ticket
from regie.helpdesk.services import EDITABLE_FIELDS, TRANSITIONS, technicians


def grouped_categories(categories: QuerySet[Category]) -> list[Any]:
    """Choices of ``categories`` grouped under their top category, in French order.

    A top category without sub-categories is a plain option; one with sub-categories is a
    group holding itself first (« Imprimante (général) ») and then its sub-categories, so a
    person picks « Bourrage papier » under « Imprimante » rather than among every
    sub-category of every kind sorted together.
    """
    rows = list(categories.select_related("parent__parent"))
    offered = {category.pk for category in rows}
    groups: dict[int, tuple[Category, list[Category]]] = {}
    for category in rows:
        root = _root_of(category)
        groups.setdefault(root.pk, (root, []))[1].append(category)
    choices: list[Any] = [("", "---------")]
    for root, members in sorted(groups.values(), key=lambda group: french_key(group[0].name)):
        children = sorted(
            (category for category in members if category.pk != root.pk),
            key=lambda category: french_key(_path_below(category)),
        )
        if not children:
            choices.append((root.pk, root.name))
            continue
        options = [(root.pk, _("%(category)s (general)") % {"category": root.name})]
        if root.pk not in offered:  # an inactive top category only names its group
            options = []
        options += [(category.pk, _path_below(category)) for category in children]
        choices.append((root.name, options))
    return choices


def _root_of(category: Category) -> Category:
    while category.parent is not None:
        category = category.parent
    return category


def _path_below(category: Category) -> str:
    """The names from below the top category down to ``category``."""
    names = [category.name]
    parent = category.parent
    while parent is not None and parent.parent is not None:
        names.insert(0, parent.name)
        parent = parent.parent
    return " › ".join(names)


class TicketForm(PolicyModelForm):
    """A technician opens a ticket on someone's behalf (phone call, e-mail, on site)."""

    file = forms.FileField(label=_("Attachment"), required=False)

    class Meta:
        model = Ticket
        fields = [
            "requester",
            "source",
            "category",
            "title",
            "description",
            "urgency",
            "impact",
            "site",
            "assets",
            "needs_visit",
        ]
        widgets = {"assets": forms.SelectMultiple(attrs={"size": 6})}
        help_texts = {"site": _("Empty: the requester's site.")}

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        for name, queryset in (
            ("category", Category.objects.filter(active=True)),
            ("requester", Person.objects.filter(active=True)),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  # a relation field
            field.queryset = queryset
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)  # noqa: S101  # a relation field
        category.choices = grouped_categories(Category.objects.filter(active=True))


class TicketEditForm(PolicyModelForm):
    class Meta:
        model = Ticket
        fields = list(EDITABLE_FIELDS)


class PortalTicketForm(forms.Form):
    """A member of staff reports a problem: what, how urgent, which of their equipment."""

    category = forms.ModelChoiceField(
        Category.objects.filter(active=True), label=_("Category"), required=False
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happens, since when, what you were doing."),
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), choices=Level.choices, coerce=int, initial=Level.MEDIUM
    )
    assets = forms.ModelMultipleChoiceField(
        Asset.objects.none(),
        label=_("My equipment concerned"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    file = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assets"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101  # declared above
        field.queryset = asset_policy.visible(user).filter(assigned_to__user=user)
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)  # noqa: S101  # declared above
        category.choices = grouped_categories(Category.objects.filter(active=True))


class FollowUpForm(forms.Form):
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))
    private = forms.BooleanField(label=_("Private (IT team only)"), required=False, initial=False)
    file = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args: Any, may_be_private: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_be_private:
            del self.fields["private"]


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        User.objects.none(), label=_("Assign to"), required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  # declared above
        field.queryset = technicians()


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=TicketStatus.choices)
    waiting_for = forms.ChoiceField(
        label=_("Waiting for"), choices=[("", "—"), *WaitingFor.choices], required=False
    )

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS[ticket.status]
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  # declared above
        field.choices = [(v, label) for v, label in TicketStatus.choices if v in allowed]


class LinkAssetsForm(forms.Form):
    assets = forms.ModelMultipleChoiceField(
        Asset.objects.none(),
        label=_("Equipment"),
        required=False,
        widget=PickerSelectMultiple(kind="assets", attrs={"size": 6}),
    )

    def __init__(self, *args: Any, user: User, ticket: Ticket, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assets"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101  # declared above
        # Any equipment the user may see can be linked (the picker searches all of it); the
        # plain select lists the requester's, the site's and what is already linked.
        visible = asset_policy.visible(user)
        field.queryset = visible
        nearby = Q(assigned_to=ticket.requester_id) | Q(pk__in=ticket.assets.values("pk"))
        if ticket.site_id is not None:
            nearby |= Q(site=ticket.site_id)
        field.widget.choices = [(asset.pk, str(asset)) for asset in visible.filter(nearby)]
        self.initial.setdefault("assets", list(ticket.assets.values_list("pk", flat=True)))


class SatisfactionForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your satisfaction"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("5: very satisfied, 1: not satisfied at all."),
    )
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
