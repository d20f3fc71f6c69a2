"""Reusable reads for the directory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from regie.core.search import search_all_words

if TYPE_CHECKING:
    from regie.core.models import User
    from regie.directory.models import Person, Site  # noqa: F401  # named in QuerySet["…"]


class SiteQuerySet(models.QuerySet["Site"]):
    def for_correspondent(self, user: User) -> SiteQuerySet:
        return self.filter(correspondents=user)

    def search(self, term: str) -> SiteQuerySet:
        """Every word in the name, city, address or commune; accents and case ignored."""
        return self.filter(
            search_all_words(["name", "city", "address", "organisation__name"], term)
        )


class PersonQuerySet(models.QuerySet["Person"]):
    def search(self, term: str) -> PersonQuerySet:
        query = Q()
        for word in term.split():
            query &= (
                Q(first_name__fcontains=word)
                | Q(last_name__fcontains=word)
                | Q(email__fcontains=word)
                | Q(job_title__fcontains=word)
            )
        return self.filter(query)
