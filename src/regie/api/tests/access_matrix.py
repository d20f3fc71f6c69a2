"""The machinery of the role × endpoint test: walking the routes, calling one, reading it.

``test_access_matrix`` holds the expectation table; this module finds every route of the
project, fills its ids from the world (``access_world``) and answers what each persona got.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from regie.core.testing import bearer_client

PERSONAS = ("anonymous", "admin_user", "technician", "reader", "correspondent", "staff_user")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

# Routes not walked, each with why. Everything else must have a row in the table.
SKIPPED = {
    "inventory:receive": "the agents' endpoint: agent credentials, not roles (its own tests)",
    "ping": "/ping/: the check's code is the credential, not a role (test_ping_endpoint)",
    "ping-action": "/ping/: the check's code is the credential, not a role (test_ping_endpoint)",
}
SKIPPED_METHODS = {
    ("home", "POST"): "POST / is the agents' inventory endpoint (GLPI's root), not a page",
}
SKIPPED_PREFIXES = {
    "admin/": "Django's admin: superusers only, Django's own permission checks",
    "static/": "static files: served by granian from the data directory, no access rule",
    "media/": "no media URL: attachments go through helpdesk:attachment-download",
}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:url-name"
    route: str  # the pattern, for messages
    methods: tuple[str, ...]  # what the table must say something about
    kwargs: tuple[str, ...]  # the ids the URL takes
    api: bool


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace + (pattern.name or ""), pattern


def all_routes():
    """Every named URL pattern of the project, with the methods it answers to."""
    routes = {}
    for route, name, pattern in _walk(get_resolver().url_patterns):
        if any(route.startswith(skipped) for skipped in SKIPPED_PREFIXES):
            continue
        if name in SKIPPED:
            continue
        api = route.startswith("api/v1/")
        actions = getattr(pattern.callback, "actions", None)
        if actions:
            methods = tuple(sorted(method.upper() for method in actions))
        elif api:
            methods = ("GET",)
        else:
            # Any page may be posted to: a page that takes no writes must answer 405.
            methods = ("GET", "POST")
        methods = tuple(method for method in methods if (name, method) not in SKIPPED_METHODS)
        if name == "api:":
            name = "api:not-found"
        kwargs = tuple(sorted(pattern.pattern.regex.groupindex))
        routes[name] = Route(name, route, methods, kwargs, api)
    return routes


def _url(route, world, target, side):
    if route.name == "api:not-found":
        return "/api/v1/nothing/here/"
    if not route.kwargs:
        return reverse(route.name)
    kwargs = {}
    for kwarg in route.kwargs:
        key = {"item_pk": "plan_item", "asset_pk": "asset"}.get(kwarg, target)
        kwargs[kwarg] = world[key][side].pk
    return reverse(route.name, kwargs=kwargs)


def _count_query():
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label not in {"contenttypes", "admin"}
            and not model._meta.proxy
            # Each signed-in request records its browser session (regie.accounts).
            and model._meta.db_table != "accounts_usersession"
        }
    )
    quote = connection.ops.quote_name
    # Table names come from the models, never from input.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)  # noqa: S608
    return f"SELECT {counts}"


def fingerprint(targets):
    """Row counts of every table (one query), and the targets' last change."""
    with connection.cursor() as cursor:
        cursor.execute(_count_query())
        counts = tuple(cursor.fetchone())
    changed = tuple(
        getattr(type(obj)._default_manager.filter(pk=obj.pk).first(), "updated_at", None)
        for obj in targets
    )
    return counts, changed


@dataclass
class Answer:
    status: int
    to_login: bool
    changed: bool


def clients_for(request_fixture):
    """A web client and an API client per persona (logged in / with a token)."""
    clients = {}
    for persona in PERSONAS:
        if persona == "anonymous":
            clients[persona] = (Client(), APIClient())
            continue
        user = request_fixture.getfixturevalue(persona)
        web = Client()
        web.force_login(user)
        # Signed in with their second factor (the world gives some personas one).
        session = web.session
        session["regie_second_factor"] = "totp"
        session.save()
        clients[persona] = (web, bearer_client(user))
    return clients


def call(route, method, client_pair, world, target, side):
    """One request, in a savepoint rolled back after: no persona sees another's writes."""
    web, api = client_pair
    path = _url(route, world, target, side)
    targets = [pair[side] for pair in ([world[target]] if target else [])]
    writes = method in WRITE_METHODS
    with transaction.atomic():
        before = fingerprint(targets) if writes else None
        if route.api:
            response = getattr(api, method.lower())(path, {}, format="json")
        else:
            response = getattr(web, method.lower())(path, {})
        after = fingerprint(targets) if writes else None
        transaction.set_rollback(True)
    location = response.get("Location", "")
    login = resolve_url(settings.LOGIN_URL)
    return Answer(response.status_code, location.startswith(login), before != after)
