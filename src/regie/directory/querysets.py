"""Reusable reads for the directory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from regie.core.models import User
    from regie.directory.models import Person, Site  # noqa: F401  # named in QuerySet["…"]


class SiteQuerySet(models.QuerySet["Site"]):
    def for_correspondent(self, user: User) -> SiteQuerySet:
        return self.filter(correspondents=user)

    def search(self, term: str) -> SiteQuerySet:
        return self.filter(
            Q(name__icontains=term) | Q(city__icontains=term) | Q(address__icontains=term)
        )


class PersonQuerySet(models.QuerySet["Person"]):
    def search(self, term: str) -> PersonQuerySet:
        query = Q()
        for word in term.split():
            query &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(job_title__icontains=word)
            )
        return self.filter(query)
