"""The register without the system: the last copy of the evacuation register, kept as files by
the gateway, so a tablet can open and print it when a service or the broker is down.

After every arrival or departure noted through the gateway (the API's check-in and check-out of a
booking or a contract, their corrections, the staff's check-in page), `refresh()` asks the
register again (evacuation.register_now) and writes it in the directory COCOON_REGISTER_DIR
(services/gateway/settings.py, var/registre by default):
- registre.html: one self-contained page (its style inline, no image, no link needed), large
  type, with the moment it shows written in words, to open or print without the site;
- registre.pdf: the same register drawn by register_pdf.py (ReportLab, as the invoices);
- registre.json: that moment and the count, read by the pages to say how old the copy is.
Each file is written whole in a temporary file of the directory, then renamed over the previous
one (os.replace), so a reader finds the previous copy or the new one, never half a file; writers
(the gateway's workers and threads) take a lock on the directory, and a register older than the
copy already there (two arrivals noted at the same moment) never replaces it.

The copy is a help, not the check-in: a copy that cannot be made is a log line (with the
request's correlation id), never a refused arrival. Its files name the children and their
allergies: they are readable by the gateway's user only (mode 600, in a 700 directory).
"""

import fcntl
import json
import logging
import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from amqp.exceptions import AMQPError
from flask import Response, current_app, g, render_template, request
from flask_babel import format_datetime
from kombu.exceptions import OperationalError as KombuOperationalError
from nameko.exceptions import RemoteError, RpcTimeout, UnknownService

from services.gateway import evacuation, register_pdf, security_headers
from services.gateway.service_calls import services
from shared import timeutil
from shared.errors import ServiceError

log = logging.getLogger(__name__)

HTML, PDF, STATE, LOCK = "registre.html", "registre.pdf", "registre.json", ".registre.lock"
# What the register's page meets when bookings (or the broker) cannot give the register now.
UNREACHABLE = (
    ServiceError,
    RemoteError,
    RpcTimeout,
    UnknownService,
    ConnectionError,
    KombuOperationalError,
    AMQPError,
    OSError,
)


@dataclass(frozen=True)
class Copy:
    """The last copy kept: the moment the register shows, and how many children it counts."""

    made_at: datetime  # aware, UTC
    children: int
    directory: Path

    @property
    def html(self):
        return self.directory / HTML

    @property
    def pdf(self):
        return self.directory / PDF

    def file_name(self, extension):
        """registre-evacuation-2026-12-07-0930.html: the moment at the venue's clock, so files kept on a
        tablet sort by time."""
        local = self.made_at.astimezone(timeutil.VENUE_TZ)
        return f"registre-evacuation-{local:%Y-%m-%d-%H%M}.{extension}"


def directory():
    return Path(current_app.config["REGISTER_DIR"])


def refresh():
    """After an arrival or a departure was noted: the register asked again and written as the last
    copy. True when written; never raises (a failure is logged with the request's correlation id)."""
    try:
        with services() as rpc:
            found = evacuation.register_now(rpc)
        return write(directory(), found)
    except Exception as exc:  # noqa: BLE001 (the arrival is noted whatever happens to its copy)
        log.warning(
            "evacuation register copy not written",
            extra={
                "error": repr(exc),
                "register_dir": str(current_app.config.get("REGISTER_DIR")),
                "correlation_id": g.get("correlation_id"),
            },
        )
        return False


def write(folder, found, made_at=None):
    """The register `found` (evacuation.Register) written as the copy in `folder`, unless the copy
    already there shows a later moment. `made_at`: the moment it shows (the register's own, else now)."""
    made_at = made_at or timeutil.in_venue_zone(found.children.get("at")) or timeutil.now_utc()
    made_at = made_at.astimezone(timeutil.VENUE_TZ)
    count = found.children.get("count") or len(found.children.get("children") or [])
    html = render_template(
        "web/staff/register_copy.html",
        register=found.children,
        adults=found.adults,
        missing=found.missing,
        made_at=made_at,
        made_in_words=in_words(made_at),
        health=evacuation.has_health(found.children),
        health_text=evacuation.health_text,
    )
    pdf = register_pdf.render(found, made_at)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with _locked(folder):
        kept = last(folder)
        if kept is not None and kept.made_at > made_at:
            log.info("evacuation register copy kept: a later one is there", extra={"kept": kept.made_at.isoformat()})
            return False
        _replace(folder / PDF, pdf)
        _replace(folder / HTML, html.encode())
        state = {"made_at": made_at.isoformat(), "children": count}
        _replace(folder / STATE, json.dumps(state).encode())
    log.info("evacuation register copy written", extra={"made_at": made_at.isoformat(), "children": count})
    return True


KINDS = {"html": (HTML, "text/html; charset=utf-8"), "pdf": (PDF, "application/pdf")}
INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.S)


def serve(kind, download=False):
    """The last copy's file (`kind`: "html" or "pdf") as it is on disk, asking no service; None when
    no copy was made yet. `download`: to keep as a file (registre-evacuation-<moment>.<kind>). The
    browser may keep it (private, checked again when the gateway answers); the page's inline
    style and script, and only them, may run."""
    copy = last()
    if copy is None:
        return None
    name, mimetype = KINDS[kind]
    try:
        data = (copy.directory / name).read_bytes()
    except OSError:
        return None
    response = Response(data, mimetype=mimetype)
    disposition = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{copy.file_name(kind)}"'
    response.last_modified = copy.made_at
    response.add_etag()
    security_headers.keep_in_browser(response)
    if kind == "html":
        blocks = INLINE.findall(data.decode("utf-8", "replace"))
        security_headers.allow_inline(
            response,
            scripts=[text for tag, text in blocks if tag == "script"],
            styles=[text for tag, text in blocks if tag == "style"],
        )
    return response.make_conditional(request)


def in_words(moment):
    """« lundi 7 décembre 2026 à 9 h 30 » at the venue's clock (Flask-Babel's zone is the venue's)."""
    return format_datetime(moment, "EEEE d MMMM y 'à' H\u00a0'h'\u00a0mm")


def last(folder=None):
    """The Copy kept in `folder` (the setting's by default), or None when there is none yet."""
    folder = Path(folder) if folder is not None else directory()
    try:
        state = json.loads((folder / STATE).read_text())
        made_at = datetime.fromisoformat(state["made_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not (folder / HTML).is_file():
        return None
    return Copy(made_at.astimezone(timezone.utc), int(state.get("children") or 0), folder)


def _replace(path, data):
    """`data` written whole beside `path`, synced, then renamed over it (mode 600)."""
    handle, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as written:
            written.write(data)
            written.flush()
            os.fsync(written.fileno())
        os.replace(draft, path)
    except BaseException:
        Path(draft).unlink(missing_ok=True)
        raise


@contextmanager
def _locked(folder):
    """One writer at a time across the gateway's processes (an advisory lock on a file of the directory)."""
    with open(folder / LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
