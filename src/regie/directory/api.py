"""API serializers and endpoints of the directory."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from regie.core.rest.serializers import ModelSerializer
from regie.core.rest.viewsets import PolicyModelViewSet
from regie.directory.filters import (
    DepartmentFilterSet,
    OrganisationFilterSet,
    PersonFilterSet,
    RoomFilterSet,
    SiteFilterSet,
)
from regie.directory.forms import directory_lock_message
from regie.directory.models import Department, Organisation, Person, Room, Site
from regie.directory.permissions import (
    department_policy,
    organisation_policy,
    person_policy,
    room_policy,
    site_policy,
)


class OrganisationSerializer(ModelSerializer):
    brief_fields = ("id", "name", "kind")

    class Meta(ModelSerializer.Meta):
        model = Organisation
        fields = "__all__"


class SiteSerializer(ModelSerializer):
    brief_fields = ("id", "name")
    organisation_brief = OrganisationSerializer.Brief(source="organisation", read_only=True)

    class Meta(ModelSerializer.Meta):
        model = Site
        fields = "__all__"
        # Who corresponds for a site is an administration matter, not an API write.
        read_only_fields = ("correspondents",)


class RoomSerializer(ModelSerializer):
    brief_fields = ("id", "name")
    site_brief = SiteSerializer.Brief(source="site", read_only=True)

    class Meta(ModelSerializer.Meta):
        model = Room
        fields = "__all__"


class DepartmentSerializer(ModelSerializer):
    brief_fields = ("id", "name", "code")
    organisation_brief = OrganisationSerializer.Brief(source="organisation", read_only=True)

    class Meta(ModelSerializer.Meta):
        model = Department
        fields = "__all__"


class PersonSerializer(ModelSerializer):
    brief_fields = ("id", "full_name", "email")
    full_name = serializers.CharField(read_only=True)
    department_brief = DepartmentSerializer.Brief(source="department", read_only=True)
    site_brief = SiteSerializer.Brief(source="site", read_only=True)

    class Meta(ModelSerializer.Meta):
        model = Person
        fields = "__all__"
        read_only_fields = ("directory_source",)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """A synced person's directory fields are refused (changed in the directory only)."""
        person = self.instance
        if isinstance(person, Person):
            locked = person.directory_fields
            errors = {
                name: [directory_lock_message(person)]
                for name, value in attrs.items()
                if name in locked and value != getattr(person, name)
            }
            if errors:
                raise serializers.ValidationError(errors)
        validated: dict[str, Any] = super().validate(attrs)
        return validated


class OrganisationViewSet(PolicyModelViewSet):
    policy = organisation_policy
    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet


class SiteViewSet(PolicyModelViewSet):
    policy = site_policy
    queryset = Site.objects.select_related("organisation").prefetch_related("correspondents")
    serializer_class = SiteSerializer
    filterset_class = SiteFilterSet


class RoomViewSet(PolicyModelViewSet):
    policy = room_policy
    queryset = Room.objects.select_related("site")
    serializer_class = RoomSerializer
    filterset_class = RoomFilterSet


class DepartmentViewSet(PolicyModelViewSet):
    policy = department_policy
    queryset = Department.objects.select_related("organisation")
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilterSet


class PersonViewSet(PolicyModelViewSet):
    policy = person_policy
    queryset = Person.objects.select_related("department", "site", "directory_source")
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet


routes = [
    ("organisations", OrganisationViewSet),
    ("sites", SiteViewSet),
    ("rooms", RoomViewSet),
    ("departments", DepartmentViewSet),
    ("people", PersonViewSet),
]
