"""What a refused or failed request writes to the log: a refusal is one warning line, a
server error keeps its traceback."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def request_records(caplog):
    return [record for record in caplog.records if record.name == "django.request"]


def assert_one_line_warning(caplog, message):
    records = request_records(caplog)
    assert [(r.levelno, r.getMessage()) for r in records] == [(logging.WARNING, message)]
    assert records[0].exc_info is None
    assert "Traceback" not in caplog.text


def test_a_permission_denied_page_is_one_warning_line(client, caplog, reader):
    client.force_login(reader)
    with caplog.at_level(logging.INFO):
        response = client.get(reverse("telework:loan-create"))
    assert response.status_code == 403
    assert_one_line_warning(caplog, "Forbidden (Permission denied): /telework/loans/new/")


def test_the_admin_refused_to_a_technician_is_one_warning_line(client, caplog, technician):
    client.force_login(technician)
    with caplog.at_level(logging.INFO):
        response = client.get("/admin/")
    assert response.status_code == 403
    assert_one_line_warning(caplog, "Forbidden (Permission denied): /admin/")


def test_an_out_of_scope_object_is_one_warning_line(client, caplog, staff_user, outside_asset):
    client.force_login(staff_user)
    url = outside_asset.get_absolute_url()
    with caplog.at_level(logging.INFO):
        response = client.get(url)
    assert response.status_code == 404
    assert_one_line_warning(caplog, f"Not Found: {url}")


@pytest.mark.urls("regie.core.tests.urls_with_error")
def test_a_server_error_keeps_its_traceback(caplog, technician):
    client = Client(raise_request_exception=False)
    client.force_login(technician)
    with caplog.at_level(logging.INFO):
        response = client.get("/broken/")
    assert response.status_code == 500
    records = request_records(caplog)
    assert [(r.levelno, r.getMessage()) for r in records] == [
        (logging.ERROR, "Internal Server Error: /broken/")
    ]
    assert records[0].exc_info is not None and records[0].exc_info[0] is RuntimeError
    assert "Traceback" in caplog.text and "the disk is full" in caplog.text
