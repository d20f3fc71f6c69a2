"""Inventory ingestion end to end: HTTP receive by a live server, processing by its worker.

Runs in a throw-away database (see the ``bench`` command). Starts a real ``regie serve
--workers 2`` on a free loopback port, then posts ``reports`` real-shaped inventories built
from the captured fixtures (GLPI Agent JSON and FusionInventory XML, zlib-compressed as the
agents send them) with ``agents`` concurrent clients, in three rounds: each machine's first
report, an unchanged re-send (only an ignored section differs, so the body is new) and a
re-send with 2 % of its software changed. Measured:

* receiving: p50/p95 latency of the 2xx and reports received per second;
* processing, by the worker: reports processed per second (first received to last
  processed) and, from each report's ``processing_ms`` (decompress, parse and apply; the
  commit a batch of reports shares is not in it), the median milliseconds for each kind;
* the floor, in the same run: decompress + parse + the same rows written with plain bulk
  inserts into a scratch SQLite file, and the ratio of each median to it.

A refused or lost report, a failed processing or a "database is locked" in the server's log
fails the run (``ok`` false, non-zero exit). The 10,000-report case:
``regie bench ingest --reports 10000 --agents 8``.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import http.client
import json
import math
import os
import queue
import signal
import sqlite3
import statistics
import subprocess  # noqa: S404  # starts `regie serve`, our own interpreter, no shell
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

# lxml ships no type information.
from lxml import etree  # type: ignore[import-untyped]

from regie.core.testing import free_port
from regie.inventory.models import ReceivedReport, ReportStatus

DESCRIPTION = "inventories posted over HTTP to a live server and processed by its worker"
TARGET_CHURN_MS = 40
TARGET_UNCHANGED_MS = 15
TARGET_10K_SECONDS = 300
KINDS = ("first", "unchanged", "churn")
CHURN_SHARE = 0.02
FLOOR_SAMPLES = 20
LOCKED = "database is locked"

_CAPTURES = Path(__file__).resolve().parents[2] / "inventory" / "tests" / "fixtures" / "captures"
_JSON_FIXTURE = "glpiagent-inventory-full.json"
_XML_FIXTURE = "fusioninventory-inventory.xml"

Output = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Payload:
    machine: int
    kind: str
    protocol: str  # "json" or "xml"
    body: bytes  # zlib, as sent
    sha256: str  # of the decompressed body, as the inbox stores it
    software_count: int


@dataclass
class Sent:
    latencies_ms: list[float] = field(default_factory=list)
    acknowledged: dict[str, Payload] = field(default_factory=dict)  # sha256 → payload
    refused: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


# --- Real-shaped inventories ---------------------------------------------------------------


def _mac(machine: int, index: int) -> str:
    value = (0x02_42_00_00_00_00 | (machine << 8) | index) & 0xFFFF_FFFF_FFFF
    return ":".join(f"{(value >> shift) & 0xFF:02x}" for shift in range(40, -8, -8))


def _uuid(machine: int) -> str:
    return f"4c4c4544-0042-3510-8052-{machine:012x}"


def _software_plan(count: int, machine: int, kind: str) -> tuple[list[int], dict[int, str], int]:
    """Which base programs a machine lists, which get an upgraded version, how many extras.

    Each machine drops a few base programs (its own), so the lists differ between machines;
    the churned re-send upgrades, removes and adds a third of 2 % each.
    """
    kept = [i for i in range(count) if (i * 7 + machine) % 97 != 0]
    extras = 3
    upgraded: dict[int, str] = {}
    if kind == "churn":
        third = max(1, math.ceil(len(kept) * CHURN_SHARE) // 3)
        upgraded = dict.fromkeys(kept[:third], f".bench{machine}")
        kept = kept[:third] + kept[2 * third :]
        extras += third
    return kept, upgraded, extras


def _json_body(base: dict[str, Any], machine: int, kind: str) -> tuple[bytes, int]:
    document = copy.deepcopy(base)
    content = document["content"]
    document["deviceid"] = f"bench-json-{machine:06d}-2026-01-01-00-00-00"
    content["hardware"]["name"] = f"BENCH-J{machine:06d}"
    content["hardware"]["uuid"] = _uuid(machine)
    content["bios"] = {**content.get("bios", {}), "ssn": f"BJ{machine:08d}"}
    for index, interface in enumerate(content.get("networks", [])):
        if interface.get("type") != "loopback":
            interface["mac"] = _mac(machine, index)
    programs = content["softwares"]
    kept, upgraded, extras = _software_plan(len(programs), machine, kind)
    software = []
    for i in kept:
        entry = programs[i]
        if i in upgraded:
            entry = {**entry, "version": f"{entry.get('version', '')}{upgraded[i]}"}
        software.append(entry)
    software += [
        {"name": f"bench-tool-{machine}-{n}", "version": "1.0", "publisher": "Régie"}
        for n in range(extras)
    ]
    content["softwares"] = software
    # An ignored section that changes every run, as running processes do.
    content["processes"] = [{"cmd": f"bench {kind}", "pid": machine, "user": "root"}]
    return json.dumps(document, ensure_ascii=False).encode(), len(software)


def _xml_body(base: Any, machine: int, kind: str) -> tuple[bytes, int]:
    root = copy.deepcopy(base)
    content = root.find("CONTENT")
    root.find("DEVICEID").text = f"bench-xml-{machine:06d}-2026-01-01-00-00-00"
    hardware = content.find("HARDWARE")
    hardware.find("NAME").text = f"BENCH-X{machine:06d}"
    etree.SubElement(hardware, "UUID").text = _uuid(machine + 1_000_000)
    content.find("BIOS").find("SSN").text = f"BX{machine:08d}"
    for index, interface in enumerate(content.iter("NETWORKS")):
        mac = interface.find("MACADDR")
        if mac is not None and interface.findtext("TYPE") != "loopback":
            mac.text = _mac(machine + 1_000_000, index)
    programs = list(content.iter("SOFTWARES"))
    for element in programs:
        content.remove(element)
    kept, upgraded, extras = _software_plan(len(programs), machine, kind)
    for i in kept:
        element = programs[i]
        if i in upgraded:
            version = element.find("VERSION")
            if version is not None:
                version.text = f"{version.text or ''}{upgraded[i]}"
        content.append(element)
    for n in range(extras):
        extra = etree.SubElement(content, "SOFTWARES")
        etree.SubElement(extra, "NAME").text = f"bench-tool-{machine}-{n}"
        etree.SubElement(extra, "VERSION").text = "1.0"
    processes = etree.SubElement(content, "PROCESSES")
    etree.SubElement(processes, "CMD").text = f"bench {kind}"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8"), len(kept) + extras


def build_payloads(reports: int) -> list[Payload]:
    """``reports`` payloads: every machine's first report, then the unchanged, then churn."""
    base_json = json.loads((_CAPTURES / _JSON_FIXTURE).read_bytes())
    base_xml = etree.fromstring((_CAPTURES / _XML_FIXTURE).read_bytes())
    machines = max(1, math.ceil(reports / len(KINDS)))
    payloads: list[Payload] = []
    for kind in KINDS:
        for machine in range(machines):
            if len(payloads) == reports:
                return payloads
            if machine % 2 == 0:
                data, count = _json_body(base_json, machine, kind)
                protocol = "json"
            else:
                data, count = _xml_body(base_xml, machine, kind)
                protocol = "xml"
            payloads.append(
                Payload(
                    machine=machine,
                    kind=kind,
                    protocol=protocol,
                    body=zlib.compress(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    software_count=count,
                )
            )
    return payloads


def _headers(payload: Payload) -> dict[str, str]:
    headers = {"Content-Type": "application/x-compress-zlib", "Pragma": "no-cache"}
    if payload.protocol == "json":
        headers["User-Agent"] = "GLPI-Agent_v1.12"
        headers["GLPI-Agent-ID"] = f"00000000-0000-4000-8000-{payload.machine:012x}"
    else:
        headers["User-Agent"] = "FusionInventory-Agent_v2.6-3"
    if settings.INVENTORY_USERNAME:  # the server shares this data directory's credentials
        credentials = f"{settings.INVENTORY_USERNAME}:{settings.INVENTORY_PASSWORD}"
        headers["Authorization"] = "Basic " + base64.b64encode(credentials.encode()).decode()
    return headers


# --- The floor -----------------------------------------------------------------------------


def _rows(payload: Payload) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Software and network rows of a payload, decompressed and parsed without checks."""
    data = zlib.decompress(payload.body)
    if payload.protocol == "json":
        content = json.loads(data)["content"]
        software = [
            (s.get("name"), s.get("version"), s.get("publisher"), s.get("arch"))
            for s in content["softwares"]
        ]
        networks = [(n.get("description"), n.get("mac")) for n in content.get("networks", [])]
        return software, networks
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(data, parser=parser)
    software = [
        (e.findtext("NAME"), e.findtext("VERSION"), e.findtext("PUBLISHER"), e.findtext("ARCH"))
        for e in root.iter("SOFTWARES")
    ]
    networks = [(e.findtext("DESCRIPTION"), e.findtext("MACADDR")) for e in root.iter("NETWORKS")]
    return software, networks


def measure_floor(payloads: list[Payload], path: Path) -> float:
    """Median ms to decompress, parse and bulk-insert a report's rows into scratch tables."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.executescript(
        f"PRAGMA journal_mode=WAL; PRAGMA synchronous={settings.SQLITE_SYNCHRONOUS};"
        "CREATE TABLE asset (id INTEGER PRIMARY KEY, name TEXT, serial TEXT);"
        "CREATE TABLE software (id INTEGER PRIMARY KEY, asset_id INT, name TEXT,"
        " version TEXT, publisher TEXT, arch TEXT);"
        "CREATE TABLE network (id INTEGER PRIMARY KEY, asset_id INT, name TEXT, mac TEXT);"
    )
    timings: list[float] = []
    for number, payload in enumerate(payloads):
        started = time.perf_counter()
        software, networks = _rows(payload)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "INSERT INTO asset VALUES (?, ?, ?)", (number, f"m{payload.machine}", "serial")
        )
        connection.executemany(
            "INSERT INTO software (asset_id, name, version, publisher, arch)"
            " VALUES (?, ?, ?, ?, ?)",
            ((number, *row) for row in software),
        )
        connection.executemany(
            "INSERT INTO network (asset_id, name, mac) VALUES (?, ?, ?)",
            ((number, *row) for row in networks),
        )
        connection.execute("COMMIT")
        timings.append((time.perf_counter() - started) * 1000)
    connection.close()
    return statistics.median(timings)


# --- The server and its clients ------------------------------------------------------------


def start_server(port: int, log_path: Path, *, workers: int = 2) -> subprocess.Popen[bytes]:
    """``regie serve`` in its own process group, its output in ``log_path``."""
    with log_path.open("ab") as log:
        server = subprocess.Popen(  # noqa: S603  # our own interpreter and module
            [sys.executable, "-m", "regie.cli", "serve"]
            + ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    wait_until_listening(port, server)
    return server


def wait_until_listening(port: int, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"regie serve stopped (exit {server.returncode}) before listening")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/ocsinventory")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"regie serve did not listen on port {port} within {timeout} s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the whole group (serve, granian, worker), SIGKILL if it lingers."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def kill_server(server: subprocess.Popen[bytes]) -> None:
    """SIGKILL to the whole group at once, as a power cut or the OOM killer would."""
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()


def post(connection: http.client.HTTPConnection, payload: Payload) -> int:
    """POST one payload as its agent would; the HTTP status."""
    connection.request("POST", "/", body=payload.body, headers=_headers(payload))
    response = connection.getresponse()
    response.read()
    return response.status


def _client(port: int, work: queue.Queue[Payload | None], sent: Sent) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while (payload := work.get()) is not None:
        started = time.perf_counter()
        try:
            status = post(connection, payload)
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            with sent.lock:
                sent.refused.append(f"{payload.kind} {payload.machine}: {error}")
            continue
        elapsed = (time.perf_counter() - started) * 1000
        with sent.lock:
            if 200 <= status < 300:
                sent.latencies_ms.append(elapsed)
                sent.acknowledged[payload.sha256] = payload
            else:
                sent.refused.append(f"{payload.kind} {payload.machine}: HTTP {status}")
    connection.close()


def send_all(port: int, payloads: list[Payload], agents: int, sent: Sent) -> None:
    work: queue.Queue[Payload | None] = queue.Queue()
    for payload in payloads:
        work.put(payload)
    for _ in range(agents):
        work.put(None)
    threads = [
        threading.Thread(target=_client, args=(port, work, sent), daemon=True)
        for _ in range(agents)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _wait_processed(expected: int, timeout: float, progress: Output) -> bool:
    deadline = time.monotonic() + timeout
    last_shown = 0.0
    while time.monotonic() < deadline:
        done = ReceivedReport.objects.exclude(status=ReportStatus.RECEIVED).count()
        if done >= expected:
            return True
        if time.monotonic() - last_shown > 5:
            progress(f"  processed {done}/{expected}")
            last_shown = time.monotonic()
        time.sleep(0.2)
    return False


# --- Figures -------------------------------------------------------------------------------


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[max(math.ceil(share * len(ordered)) - 1, 0)], 2) if ordered else 0.0


def _processing_timings(
    kind_of_report: dict[int, str],
) -> tuple[dict[str, list[float]], float]:
    """Per-kind worker milliseconds (each report's ``processing_ms``), and the processing
    span in seconds: from the first report received to the last one processed."""
    by_kind: dict[str, list[float]] = {kind: [] for kind in KINDS}
    rows = ReceivedReport.objects.filter(pk__in=kind_of_report).values_list(
        "pk", "processing_ms", "received_at", "processed_at"
    )
    received: list[dt.datetime] = []
    processed: list[dt.datetime] = []
    for report_id, milliseconds, received_at, processed_at in rows:
        if milliseconds is not None:
            by_kind[kind_of_report[report_id]].append(milliseconds)
        received.append(received_at)
        if processed_at is not None:
            processed.append(processed_at)
    span = (max(processed) - min(received)).total_seconds() if processed else 0.0
    return by_kind, span


def _iter_lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8", errors="replace") as log:
        yield from log


def run(*, reports: int, agents: int, out: Output, progress: Output) -> dict[str, Any]:
    """Post, process, measure; the JSON-ready results (``ok`` false if anything was lost)."""
    data_dir = Path(settings.DATA_DIR)
    progress(f"building {reports} inventories")
    payloads = build_payloads(reports)
    sample = [p for kind in KINDS for p in payloads if p.kind == kind][: FLOOR_SAMPLES * 3]
    floor_ms = measure_floor(sample or payloads[:1], data_dir / "floor.sqlite3")
    out(f"{'floor (decompress + parse + bulk insert)':<42} median {floor_ms:7.2f} ms")

    log_path = data_dir / "serve.log"
    port = free_port()
    progress(f"starting regie serve on 127.0.0.1:{port}")
    server = start_server(port, log_path)
    sent = Sent()
    try:
        started = time.perf_counter()
        for kind in KINDS:  # a machine's re-sends after its first report, as in the field
            send_all(port, [p for p in payloads if p.kind == kind], agents, sent)
        send_seconds = time.perf_counter() - started
        out(
            f"{'receive':<42} p50 {_p(sent.latencies_ms, 0.5):7.2f} ms  "
            f"p95 {_p(sent.latencies_ms, 0.95):7.2f} ms  "
            f"{len(sent.latencies_ms) / send_seconds:7.1f} reports/s"
        )
        all_processed = _wait_processed(
            len(sent.acknowledged), timeout=max(120.0, reports * 0.5), progress=progress
        )
        end_to_end = time.perf_counter() - started
    finally:
        stop_server(server)

    stored = dict(ReceivedReport.objects.values_list("body_sha256", "pk"))
    lost = sorted(sha for sha in sent.acknowledged if sha not in stored)
    statuses = dict.fromkeys(ReportStatus.values, 0)
    for status in ReceivedReport.objects.values_list("status", flat=True):
        statuses[status] += 1
    errors = list(
        ReceivedReport.objects.filter(status=ReportStatus.FAILED).values_list("error", flat=True)[
            :5
        ]
    )
    kind_of_report = {stored[sha]: p.kind for sha, p in sent.acknowledged.items() if sha in stored}
    by_kind, processing_span = _processing_timings(kind_of_report)
    locked = sum(1 for line in _iter_lines(log_path) if LOCKED in line)

    processing: dict[str, Any] = {}
    for kind in KINDS:
        timings = by_kind[kind]
        median = round(statistics.median(timings), 2) if timings else None
        processing[kind] = {
            "reports": len(timings),
            "median_ms": median,
            "p95_ms": _p(timings, 0.95),
            "ratio_to_floor": round(median / floor_ms, 2) if median else None,
        }
        if median is not None:
            out(
                f"{'processing, ' + kind:<42} median {median:7.2f} ms  "
                f"p95 {processing[kind]['p95_ms']:7.2f} ms  "
                f"{processing[kind]['ratio_to_floor']:5.2f} × floor"
            )
    processed_per_s = (
        round(statuses[ReportStatus.PROCESSED] / processing_span, 1) if (processing_span) else 0.0
    )
    out(f"{'processing throughput':<42} {processed_per_s:7.1f} reports/s")
    out(f"{'end to end':<42} {end_to_end:7.1f} s for {len(sent.acknowledged)} reports")

    ok = (
        not sent.refused
        and not lost
        and all_processed
        and statuses[ReportStatus.FAILED] == 0
        and statuses[ReportStatus.RECEIVED] == 0
        and locked == 0
        and len(stored) == len(payloads)
    )
    if not ok:
        out(
            f"FAILED: refused {len(sent.refused)}, lost {len(lost)}, "
            f"failed {statuses[ReportStatus.FAILED]}, unprocessed "
            f"{statuses[ReportStatus.RECEIVED]}, '{LOCKED}' ×{locked}"
        )
    return {
        "bench": "ingest",
        "ok": ok,
        "database": "sqlite",
        "reports": reports,
        "agents": agents,
        "machines": len({(p.protocol, p.machine) for p in payloads}),
        "software_per_report_median": statistics.median(p.software_count for p in payloads),
        "receive": {
            "acknowledged": len(sent.acknowledged),
            "refused": len(sent.refused),
            "refusals": sent.refused[:5],
            "p50_ms": _p(sent.latencies_ms, 0.5),
            "p95_ms": _p(sent.latencies_ms, 0.95),
            "max_ms": _p(sent.latencies_ms, 1.0),
            "per_second": round(len(sent.latencies_ms) / send_seconds, 1),
            "seconds": round(send_seconds, 2),
        },
        "processing": {
            **processing,
            "per_second": processed_per_s,
            "seconds": round(processing_span, 2),
            "statuses": statuses,
            "errors": errors,
        },
        "floor_ms": round(floor_ms, 2),
        "end_to_end_seconds": round(end_to_end, 2),
        "lost": len(lost),
        "database_locked": locked,
        "targets": {
            "churn_median_ms": TARGET_CHURN_MS,
            "unchanged_median_ms": TARGET_UNCHANGED_MS,
            "ten_thousand_reports_s": TARGET_10K_SECONDS,
        },
        "timing_source": "processing_ms of each report (decompress, parse, apply; the"
        " commit its batch shares not included); throughput and end to end include all",
    }
