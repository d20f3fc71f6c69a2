"""Forms of the directory pages; fields come from the models."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regie.core.forms import DateInput, PolicyModelForm
from regie.core.models import Role, User
from regie.core.permissions import manages
from regie.directory.models import (
    Department,
    DirectorySource,
    Organisation,
    Person,
    Room,
    Site,
    SourceKind,
)
from regie.directory.sync.entries import AD_ATTRIBUTES


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


def directory_lock_message(person: Person) -> str:
    return _("Comes from the directory “%(source)s”: change it there.") % {
        "source": person.directory_source
    }


class PersonForm(PolicyModelForm):
    """A person; the fields a directory sync writes are shown locked and refused if sent."""

    class Meta:
        model = Person
        exclude = ["created_at", "updated_at"]
        widgets = {"arrival_date": DateInput(), "departure_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person: Person = self.instance
        self.locked = [name for name in self.fields if name in person.directory_fields]
        for name in self.locked:
            field = self.fields[name]
            field.disabled = True
            field.help_text = "🔒 " + directory_lock_message(person)
            if isinstance(field.widget, forms.Select):
                # A plain disabled list: the search picker would look editable.
                field.widget.template_name = "django/forms/widgets/select.html"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A disabled field ignores what is posted; a changed value sent anyway (by a script,
        # a stale page) is refused rather than silently dropped.
        for name in self.locked:
            field = copy.copy(self.fields[name])
            field.disabled = False
            key = self.add_prefix(name)
            if key not in self.data:  # not sent (as a browser does): untouched
                continue
            sent = field.widget.value_from_datadict(self.data, self.files, key)
            if field.has_changed(self.get_initial_for_field(field, name), sent):
                self.add_error(name, directory_lock_message(self.instance))
        return data


def _lines(text: str) -> list[tuple[int, str, str]]:
    """(line number, left, right) of the non-empty "left = right" lines of ``text``."""
    pairs = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        left, equals, right = line.partition("=")
        if not equals:
            raise ValidationError(_("Line %(number)s: write “name = value”.") % {"number": number})
        pairs.append((number, left.strip(), right.strip()))
    return pairs


class DirectorySourceForm(PolicyModelForm):
    """A directory source; the secrets are written only when typed, never shown back."""

    bind_password = forms.CharField(
        label=_("bind password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Stored encrypted. Leave empty to keep the current one."),
    )
    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Stored encrypted. Leave empty to keep the current one."),
    )
    attribute_lines = forms.CharField(
        label=_("attribute mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "One line per field that differs from the defaults of the kind: field = attribute "
            "(for example site = l)."
        ),
    )
    role_lines = forms.CharField(
        label=_("group → role mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            "One line per group, first match wins: group = role (admin, technician, reader, "
            "correspondent, staff). Without any line, the roles set in Régie are kept and new "
            "accounts are staff."
        ),
    )

    LDAP_FIELDS = (
        "url",
        "bind_dn",
        "bind_password",
        "base_dn",
        "user_filter",
        "start_tls",
        "ca_file",
        "attribute_lines",
    )
    ENTRA_FIELDS = ("tenant_id", "client_id", "client_secret")

    class Meta:
        model = DirectorySource
        fields = [
            "name",
            "kind",
            "enabled",
            "organisation",
            "url",
            "bind_dn",
            "base_dn",
            "user_filter",
            "start_tls",
            "ca_file",
            "tenant_id",
            "client_id",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance: DirectorySource = self.instance
        self.fields["attribute_lines"].initial = "\n".join(
            f"{key} = {value}" for key, value in (instance.attributes or {}).items()
        )
        self.fields["role_lines"].initial = "\n".join(
            f"{group} = {role}" for group, role in (instance.role_mapping or [])
        )
        self.fields["user_filter"].help_text = _(
            "Empty: every user account ((&(objectCategory=person)(objectClass=user)) on Active "
            "Directory, (objectClass=inetOrgPerson) on LDAP)."
        )
        for name, secret in (
            ("bind_password", instance.bind_password_encrypted),
            ("client_secret", instance.client_secret_encrypted),
        ):
            if not secret:
                self.fields[name].help_text = _("Stored encrypted; never shown again.")

    def common_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("name", "kind", "enabled", "organisation", "role_lines")]

    def ldap_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.LDAP_FIELDS]

    def entra_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.ENTRA_FIELDS]

    def clean_attribute_lines(self) -> dict[str, str]:
        known = set(AD_ATTRIBUTES)
        mapping = {}
        for number, name, attribute in _lines(self.cleaned_data["attribute_lines"]):
            if name not in known:
                raise ValidationError(
                    _("Line %(number)s: unknown field “%(name)s” (known: %(known)s).")
                    % {"number": number, "name": name, "known": ", ".join(sorted(known))}
                )
            mapping[name] = attribute
        return mapping

    def clean_role_lines(self) -> list[list[str]]:
        roles = set(Role.values)
        mapping = []
        for number, group, role in _lines(self.cleaned_data["role_lines"]):
            if not group or role not in roles:
                raise ValidationError(
                    _("Line %(number)s: write “group = role”, the role one of %(roles)s.")
                    % {"number": number, "roles": ", ".join(Role.values)}
                )
            mapping.append([group, role])
        return mapping

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        instance: DirectorySource = self.instance
        kind = data.get("kind")
        if kind == SourceKind.ENTRA and not (
            data.get("client_secret") or instance.client_secret_encrypted
        ):
            self.add_error("client_secret", _("Give the app registration's client secret."))
        # Not form fields of the model: set here, before the model's own validation.
        if "attribute_lines" in data:
            instance.attributes = data["attribute_lines"]
        if "role_lines" in data:
            instance.role_mapping = data["role_lines"]
        if data.get("bind_password"):
            instance.set_bind_password(data["bind_password"])
        if data.get("client_secret"):
            instance.set_client_secret(data["client_secret"])
        return data
