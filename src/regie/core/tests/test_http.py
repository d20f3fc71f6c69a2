"""The client address behind trusted reverse proxies, and only those."""

import pytest
from django.test import RequestFactory

from regie.core.http import client_address


def request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # No trusted proxy configured for this address: the header is a client's claim.
        ("203.0.113.9", "10.1.2.3", "203.0.113.9"),
        # Through the proxy: the address it saw, not what the client wrote before it.
        ("10.0.0.5", "1.2.3.4, 192.0.2.44", "192.0.2.44"),
        # Two trusted proxies in a row.
        ("10.0.0.5", "192.0.2.44, 10.0.0.6", "192.0.2.44"),
        ("10.0.0.5", "2001:db8::7", "2001:db8::7"),
        # Nothing usable: the proxy itself.
        ("10.0.0.5", None, "10.0.0.5"),
        ("10.0.0.5", "not-an-address", "10.0.0.5"),
        ("10.0.0.5", "", "10.0.0.5"),
    ],
)
def test_forwarded_for_is_believed_from_trusted_proxies_only(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(request(remote, forwarded)) == expected


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request("10.0.0.5", "192.0.2.44")) == "10.0.0.5"


def test_absolute_links_prefer_the_public_address_then_the_request(settings):
    settings.ALLOWED_HOSTS = ["regie.cc-mellois.fr"]
    from regie.core.http import absolute_url

    settings.PUBLIC_URL = ""
    assert absolute_url("/checks/1/") == "http://localhost:8000/checks/1/"
    web = RequestFactory().get("/", HTTP_HOST="regie.cc-mellois.fr")
    assert absolute_url("/checks/1/", web) == "http://regie.cc-mellois.fr/checks/1/"
    settings.PUBLIC_URL = "https://regie.example.org"
    assert absolute_url("/checks/1/", web) == "https://regie.example.org/checks/1/"
    assert absolute_url("https://ailleurs.example/x") == "https://ailleurs.example/x"
