"""Bodies no agent sends, refused at the door with a 4xx in bounded time; nothing stored."""

import gzip
import json
import zlib

import pytest

from regie.inventory.models import ReceivedReport, Refusal, RefusalReason
from regie.inventory.tests.fixtures import capture, peak_allocation
from regie.inventory.tests.test_hostile_input import BILLION_LAUGHS, EXTERNAL_ENTITY

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024


def zlib_bomb(size: int) -> bytes:
    compressor = zlib.compressobj(9)
    chunk = b"\0" * MIB
    return b"".join(compressor.compress(chunk) for _ in range(size // MIB)) + compressor.flush()


def gzip_bomb(size: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    chunk = b"\0" * MIB
    return b"".join(compressor.compress(chunk) for _ in range(size // MIB)) + compressor.flush()


def assert_refused_once(reason, error, source="127.0.0.1"):
    assert ReceivedReport.objects.count() == 0
    refusal = Refusal.objects.get()
    assert (refusal.source, refusal.reason, refusal.count) == (source, reason, 1)
    assert refusal.last_error == error
    assert refusal.last_address == "127.0.0.1"


def xml_error(response) -> bytes:
    assert response["Content-Type"] == "application/xml"
    return response.content


@pytest.mark.parametrize("bomb", [zlib_bomb, gzip_bomb], ids=["zlib", "gzip"])
def test_compression_bomb_is_stopped_by_the_ratio_cap(client, bomb):
    body = bomb(200 * MIB)  # about 200 KB expanding to 200 MB

    with peak_allocation() as peak:
        response = client.post("/", data=body, content_type="application/x-compress-zlib")

    assert peak[0] < 64 * MIB  # inflating it all would hold 200 MB
    assert response.status_code == 413
    error = "The body expands more than 200 times: a compression bomb."
    assert xml_error(response) == (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<REPLY><ERROR>{error}</ERROR></REPLY>'.encode()
    )
    assert_refused_once(RefusalReason.COMPRESSION_BOMB, error)


@pytest.mark.parametrize("bomb", [zlib_bomb, gzip_bomb], ids=["zlib", "gzip"])
def test_compression_bomb_is_stopped_by_the_inflated_cap(client, settings, bomb):
    settings.INVENTORY_MAX_INFLATED_BYTES = 1 * MIB
    settings.INVENTORY_MAX_RATIO = 100_000
    body = bomb(8 * MIB)
    assert len(body) < 10_000

    with peak_allocation() as peak:
        response = client.post("/ocsinventory", data=body, content_type="application/x-compress")

    assert peak[0] < 8 * MIB  # stopped at the 1 MB cap, not at 8 MB
    assert response.status_code == 413
    assert_refused_once(RefusalReason.TOO_LARGE, "The decompressed body is larger than 1 MB.")


@pytest.mark.parametrize(
    ("compress", "error"),
    [
        (
            zlib.compress,
            "The zlib body is truncated or corrupt: the stream ends before its end marker.",
        ),
        (
            lambda data: gzip.compress(data, mtime=0),
            "The gzip body is truncated or corrupt: the stream ends before its end marker.",
        ),
    ],
    ids=["zlib", "gzip"],
)
def test_truncated_stream_is_refused(client, compress, error):
    body = compress(capture("fusioninventory-inventory.xml"))

    response = client.post(
        "/", data=body[: len(body) // 2], content_type="application/x-compress-zlib"
    )

    assert response.status_code == 400
    assert_refused_once(RefusalReason.TRUNCATED, error)


def test_data_after_the_compressed_stream_is_refused(client):
    body = zlib.compress(capture("ocs-prolog.xml")) + b"trailing"

    response = client.post("/ocsinventory", data=body, content_type="application/x-compress")

    assert response.status_code == 400
    assert_refused_once(
        RefusalReason.TRUNCATED,
        "The zlib body is truncated or corrupt: data follows the end of the compressed stream.",
    )


def test_oversized_body_is_refused_before_reading(client, settings):
    settings.INVENTORY_MAX_BODY_BYTES = 1 * MIB

    response = client.post("/", data=b"<" + b"a" * (2 * MIB), content_type="application/xml")

    assert response.status_code == 413
    assert_refused_once(RefusalReason.TOO_LARGE, "The body is larger than 1 MB.")


@pytest.mark.parametrize(
    "body", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"]
)
def test_hostile_xml_is_refused_in_the_xml_error_form(client, body):
    with peak_allocation() as peak:
        response = client.post(
            "/", data=zlib.compress(body), content_type="application/x-compress-zlib"
        )

    assert peak[0] < 4 * MIB  # nothing expanded
    assert response.status_code == 400
    error = "The XML declares a DOCTYPE or entities; agents never do."
    assert zlib.decompress(response.content) == (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<REPLY><ERROR>{error}</ERROR></REPLY>'.encode()
    )
    assert_refused_once(RefusalReason.HOSTILE, error)


def test_hundred_thousand_deep_json_is_refused_in_the_json_error_form(client):
    body = b'{"action": "inventory", "deviceid": "d", "content": ' + b"[" * 100_000
    body += b"]" * 100_000 + b"}"

    with peak_allocation() as peak:
        response = client.post(
            "/", data=zlib.compress(body), content_type="application/x-compress-zlib"
        )

    assert peak[0] < 16 * MIB
    assert response.status_code == 400
    assert json.loads(zlib.decompress(response.content)) == {
        "status": "error",
        "message": "The JSON is nested too deeply.",
        "expiration": 24,
    }
    assert_refused_once(RefusalReason.HOSTILE, "The JSON is nested too deeply.")


def test_body_of_invalid_utf8_bytes_is_refused(client):
    response = client.post(
        "/", data=b"\xff\xfe\xfa\xc3\x28\xa0\xa1", content_type="application/xml"
    )

    assert response.status_code == 400
    refusal = Refusal.objects.get()
    assert refusal.reason == RefusalReason.MALFORMED
    assert refusal.last_error.startswith("The body is not well-formed XML")
    assert ReceivedReport.objects.count() == 0


def test_invalid_utf8_inside_a_value_is_kept_inert_not_refused(client):
    # safe_json/safe_xml repair such bytes on purpose: agents copy package descriptions
    # verbatim, and one mis-encoded comment must not lose the machine's report.
    body = b'{"action": "inventory", "deviceid": "d", "content": {"hardware": {"name": "pc-\xff"}}}'

    response = client.post("/", data=body, content_type="application/json")

    assert response.status_code == 200
    assert ReceivedReport.objects.get().decompressed_body() == body
    assert Refusal.objects.count() == 0


def test_unsupported_query_is_501_and_counted_for_the_device(client):
    body = b"<REQUEST><DEVICEID>pc-1</DEVICEID><QUERY>SNMPQUERY</QUERY></REQUEST>"

    response = client.post("/", data=body, content_type="application/xml")

    assert response.status_code == 501
    assert_refused_once(RefusalReason.UNSUPPORTED, "Query 'SNMPQUERY' is not supported.", "pc-1")


def test_message_without_device_id_is_refused(client):
    body = b'{"action": "inventory", "content": {"versionclient": "x"}}'

    response = client.post("/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert_refused_once(
        RefusalReason.MALFORMED,
        "The message has no device id, or one longer than 255 characters.",
    )


def test_refusals_are_counted_per_source_and_reason(client):
    for _ in range(3):
        client.post("/", data=b"not xml", content_type="application/xml")

    refusal = Refusal.objects.get()
    assert (refusal.reason, refusal.count) == (RefusalReason.MALFORMED, 3)
