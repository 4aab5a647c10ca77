"""The register without the system, on the real broker: children checked in and out through the
gateway's API with bookings running, then bookings stopped; the register's page offers the last
copy instead of an error, and the copy, served from the gateway's disk, still names the child."""

from html import unescape

import pytest

from services.bookings.service import BookingsService
from tests.api import STAFF
from tests.dates import at, set_clock
from tests.factories import GUARDIAN, child_fields, room_fields, sign_up_family, slot_fields
from tests.pdf import pdf_text


@pytest.fixture
def bookings(container_factory, service_config):
    container = container_factory(BookingsService, service_config)
    container.start()
    return container


@pytest.fixture
def pages(client):
    """The same gateway's pages, signed in as the bootstrap staff account."""
    client.application.config["WTF_CSRF_ENABLED"] = False
    client.post("/connexion", data=STAFF)
    return client


def test_the_last_copy_still_names_the_child_once_bookings_is_stopped(api, bookings, pages, monkeypatch):
    staff = api.signed_in(STAFF)
    room = staff.created("/api/v1/rooms", room_fields(name="Les Lucioles", kind="childcare", capacity=12))
    slot = staff.created("/api/v1/childcare-slots", slot_fields(room["id"]))
    _profile, family = sign_up_family(api, dependent_children=2)
    capucine = family.created("/api/v1/families/me/children", child_fields(first_name="Capucine"))
    noe = family.created("/api/v1/families/me/children", child_fields(first_name="Noé"))
    booked = [family.created("/api/v1/bookings", {"slot_id": slot["id"], "child_id": c["id"]}) for c in (capucine, noe)]

    set_clock(monkeypatch, 9)  # the morning of the slot, for bookings and the gateway alike
    for booking in booked:
        assert staff.post(f"/api/v1/bookings/{booking['id']}/check-in", json={"at": at(8, 30)}).status_code == 200
    assert (
        staff.post(
            f"/api/v1/bookings/{booked[1]['id']}/check-out", json={"at": at(8, 55), "collected_by": GUARDIAN}
        ).status_code
        == 200
    )

    folder = pages.application.config["REGISTER_DIR"]
    written = (folder / "registre.html").read_text()
    assert "Capucine Durand" in written and "Noé" not in written  # Noé left: the copy follows
    assert "Capucine Durand" in pdf_text((folder / "registre.pdf").read_bytes())

    bookings.stop()  # bookings down: the live register cannot be asked any more

    page = pages.get("/equipe/registre")
    html = unescape(page.get_data(as_text=True))
    assert page.status_code == 503
    assert "le service des réservations ne répond pas" in html
    assert "Dernière copie enregistrée : le " in html and "Télécharger la dernière copie" in html
    copy = pages.get("/equipe/registre/copie")
    assert copy.status_code == 200
    assert "Capucine Durand" in copy.get_data(as_text=True)
    assert "Capucine Durand" in pdf_text(pages.get("/equipe/registre/copie.pdf").data)
