"""The register without the system (services/gateway/register_copy.py): every arrival or departure
noted through the gateway writes the evacuation register's last copy (HTML and PDF, replaced
whole); /equipe/registre/copie serves it from disk, asking no service; /equipe/registre offers it
instead of an error page when bookings or the broker does not answer; staff only."""

import json
import logging
import os
from datetime import datetime, timedelta
from html import unescape

import pytest
from nameko.exceptions import RpcTimeout

from services.gateway import auth, evacuation, register_copy, settings
from services.gateway.models import database
from shared import timeutil
from tests.api import STAFF
from tests.pdf import pdf_text
from tests.unit.gateway.conftest import BookingsStandIn, bearer_of, served_by

ARRIVED = "2030-12-03T08:40:00+01:00"
AT = "2030-12-03T09:30:00+01:00"
LEA = {"first_name": "Léa", "family_name": "Martin", "walks": True, "room_name": "Les Lucioles", "arrived_at": ARRIVED}


class Venue(BookingsStandIn):
    """Bookings notes arrivals and departures and gives the register (`register_down`: it does not
    answer the register's calls; `children`: who is present)."""

    def __init__(self, children=(LEA,), register_down=False, at=AT):
        super().__init__()
        self.children, self.register_down, self.at = list(children), register_down, at

    def __getattr__(self, method):  # check_in, check_out, contract_check_in, the corrections…
        def noted(*args):
            self.calls.append(method)
            return {"id": args[0], "status": "confirmed"}

        return noted

    def building_register(self, query):
        self.calls.append("building_register")
        if self.register_down:
            raise RpcTimeout("bookings")
        return {"at": self.at, "count": len(self.children), "children": self.children}

    def on_site_now(self):
        return {"at": self.at, "activities": [], "sessions": []}

    def close(self):
        pass


def copy_dir(app):
    return app.config["REGISTER_DIR"]


@pytest.fixture
def api_staff(app, client):
    return bearer_of(client, "staff")


NOTED_BY_THE_API = [
    "/api/v1/bookings/b-1/check-in",
    "/api/v1/bookings/b-1/check-out",
    "/api/v1/contracts/c-1/check-in",
    "/api/v1/contracts/c-1/check-out",
]
CORRECTED_BY_THE_API = ["/api/v1/bookings/b-1/attendance", "/api/v1/contracts/c-1/attendance/2030-12-03"]


@pytest.mark.parametrize("path", NOTED_BY_THE_API)
def test_an_arrival_or_a_departure_noted_through_the_api_writes_the_register_s_copy(app, client, api_staff, path):
    served_by(app, Venue())
    answer = client.post(path, json={"at": ARRIVED}, headers=api_staff)
    assert answer.status_code == 200, answer.json
    html = (copy_dir(app) / "registre.html").read_text()
    assert "Léa Martin" in html and "Les Lucioles" in html
    assert "mardi 3 décembre 2030 à 9\u00a0h\u00a030" in html  # the moment it shows, in words
    assert "Léa Martin" in pdf_text((copy_dir(app) / "registre.pdf").read_bytes())
    assert json.loads((copy_dir(app) / "registre.json").read_text()) == {"made_at": AT, "children": 1}


@pytest.mark.parametrize("path", CORRECTED_BY_THE_API)
def test_a_corrected_arrival_or_departure_writes_the_copy_too(app, client, api_staff, path):
    served_by(app, Venue())
    answer = client.patch(path, json={"arrived_at": ARRIVED, "left_at": None, "reason": "oubli"}, headers=api_staff)
    assert answer.status_code == 200, answer.json
    assert "Léa Martin" in (copy_dir(app) / "registre.html").read_text()


def test_the_check_in_page_writes_the_copy_after_the_arrival(app, staff):
    venue = served_by(app, Venue())
    staff.post("/equipe/pointage", data={"kind": "booking", "id": "b-1", "move": "arrivee", "name": "Léa Martin"})
    assert venue.calls[:2] == ["check_in", "building_register"]  # noted first, then the register asked
    assert "Léa Martin" in (copy_dir(app) / "registre.html").read_text()


def test_a_copy_that_cannot_be_made_never_fails_the_check_in_and_is_logged_with_its_correlation_id(
    app, client, api_staff, caplog
):
    served_by(app, Venue(register_down=True))
    with caplog.at_level(logging.WARNING, logger="services.gateway.register_copy"):
        answer = client.post(
            "/api/v1/bookings/b-1/check-in", json={"at": ARRIVED}, headers={**api_staff, "X-Request-ID": "arrivee-lea"}
        )
    assert answer.status_code == 200
    assert not (copy_dir(app) / "registre.html").exists()
    (line,) = [r for r in caplog.records if r.getMessage() == "evacuation register copy not written"]
    assert line.correlation_id == "arrivee-lea" and "RpcTimeout" in line.error


def test_a_refused_check_in_writes_no_copy(app, client, api_staff, recorded_rpc):
    answer = client.post("/api/v1/bookings/b-1/check-in", json={"at": ARRIVED}, headers=api_staff)
    assert answer.status_code == 503  # the stand-in refuses every write
    assert [method for _service, method, _args in recorded_rpc.calls] == ["check_in"]
    assert not (copy_dir(app) / "registre.html").exists()


def written(app, children=(LEA,), at=AT):
    with app.test_request_context():
        found = evacuation.Register({"at": at, "count": len(children), "children": list(children)}, [], [])
        return register_copy.write(copy_dir(app), found)


def test_each_file_is_replaced_whole_and_a_failed_write_leaves_the_previous_copy(app, monkeypatch):
    assert written(app)
    before = {name: (copy_dir(app) / name).read_bytes() for name in ("registre.html", "registre.pdf", "registre.json")}

    def broken_disk(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_disk)
    later = "2030-12-03T09:45:00+01:00"
    with pytest.raises(OSError):
        written(app, [dict(LEA, first_name="Tom")], at=later)
    monkeypatch.undo()
    assert {name: (copy_dir(app) / name).read_bytes() for name in before} == before
    assert sorted(p.name for p in copy_dir(app).iterdir()) == [".registre.lock", *sorted(before)]  # no draft left


def test_a_register_older_than_the_copy_kept_does_not_replace_it(app):
    assert written(app, at="2030-12-03T09:45:00+01:00")
    assert not written(app, [dict(LEA, first_name="Tom")], at=AT)  # asked earlier, written later
    assert "Léa" in (copy_dir(app) / "registre.html").read_text()
    assert register_copy.last(copy_dir(app)).made_at == datetime.fromisoformat("2030-12-03T09:45:00+01:00")


def test_the_copy_is_readable_by_the_gateway_s_user_only(app):
    written(app)
    assert {oct((copy_dir(app) / name).stat().st_mode & 0o777) for name in ("registre.html", "registre.pdf")} == {
        "0o600"
    }


def test_the_copy_is_served_from_disk_without_asking_any_service(app, staff, recorded_rpc):
    written(app)
    answer = staff.get("/equipe/registre/copie")
    assert answer.status_code == 200
    assert "Léa Martin" in answer.get_data(as_text=True)
    assert recorded_rpc.calls == []
    assert answer.headers["Cache-Control"] == "private, no-cache"  # the tablet's browser may keep it
    assert answer.headers["Content-Disposition"].startswith("inline;")
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in policy and "style-src 'self' 'sha256-" in policy
    assert "unsafe-inline" not in policy
    again = staff.get("/equipe/registre/copie", headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304


def test_the_copy_can_be_downloaded_as_a_page_or_a_pdf_named_by_its_moment(app, staff, recorded_rpc):
    written(app)
    page = staff.get("/equipe/registre/copie?telecharger=1")
    assert page.headers["Content-Disposition"] == 'attachment; filename="registre-evacuation-2030-12-03-0930.html"'
    pdf = staff.get("/equipe/registre/copie.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert "Léa Martin" in pdf_text(pdf.data) and "mardi 3 décembre 2030 à 9 h 30" in pdf_text(pdf.data)
    assert recorded_rpc.calls == []


def test_before_any_copy_the_copy_s_page_says_so(app, staff, recorded_rpc):
    answer = staff.get("/equipe/registre/copie")
    assert answer.status_code == 404
    assert "Aucune copie du registre n'a encore été faite" in unescape(answer.get_data(as_text=True))


def test_with_bookings_down_the_register_page_offers_the_last_copy_and_its_moment(app, staff, monkeypatch):
    written(app)
    made = datetime.fromisoformat(AT)
    monkeypatch.setattr(timeutil, "now_utc", lambda: made + timedelta(minutes=12))
    served_by(app, Venue(register_down=True))
    answer = staff.get("/equipe/registre")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 503
    assert "le service des réservations ne répond pas" in html
    assert "Dernière copie enregistrée : le mardi 3 décembre 2030 à 9\u00a0h\u00a030 (il y a 12 minutes)" in html
    assert 'href="/equipe/registre/copie"' in html and 'href="/equipe/registre/copie?telecharger=1"' in html
    assert "Télécharger la dernière copie" in html


def test_with_the_broker_unreachable_the_register_page_still_offers_the_copy(app, staff):
    written(app)  # the app's broker is 127.0.0.1:1: nothing listens there
    answer = staff.get("/equipe/registre")
    assert answer.status_code == 503
    assert "Ouvrir la dernière copie" in answer.get_data(as_text=True)
    assert "Léa Martin" in staff.get("/equipe/registre/copie").get_data(as_text=True)


def test_with_bookings_down_and_no_copy_yet_the_page_says_to_count_with_the_attendance_book(app, staff):
    served_by(app, Venue(register_down=True))
    html = staff.get("/equipe/registre").get_data(as_text=True)
    assert "Comptez les enfants avec le cahier de présence." in html
    assert "Ouvrir la dernière copie" not in html


def test_the_live_register_says_how_old_the_last_copy_is(app, staff):
    written(app)
    served_by(app, Venue())
    html = staff.get("/equipe/registre").get_data(as_text=True)
    assert "Dernière copie enregistrée : le mardi 3 décembre 2030" in html


@pytest.mark.parametrize("path", ["/equipe/registre/copie", "/equipe/registre/copie.pdf"])
def test_the_copy_is_for_staff_only(app, client, path):
    written(app)
    assert client.get(path).status_code == 302  # a visitor signs in first
    with app.app_context(), database.connection_context():
        auth.create_account("famille@example.fr", STAFF["password"], "family", subject_id="family-1")
    app.config["WTF_CSRF_ENABLED"] = False
    client.post("/connexion", data={"email": "famille@example.fr", "password": STAFF["password"]})
    refused = client.get(path)
    assert refused.status_code == 403 and "Léa" not in refused.get_data(as_text=True)


def test_a_child_s_allergies_and_pai_are_shown_when_the_register_carries_them(app, staff):
    allergic = dict(LEA, allergies=["arachide", "lait"], pai="Asthme : Ventoline dans le sac bleu")
    written(app, [allergic, dict(LEA, first_name="Tom")])
    html = staff.get("/equipe/registre/copie").get_data(as_text=True)
    assert "Allergies : arachide, lait · PAI : Asthme : Ventoline dans le sac bleu" in html
    assert "Allergies et PAI" in pdf_text(staff.get("/equipe/registre/copie.pdf").data)
    served_by(app, Venue(children=[allergic]))
    assert "Allergies : arachide, lait" in staff.get("/equipe/registre").get_data(as_text=True)


def test_without_allergies_or_pai_the_register_has_no_such_column(app, staff):
    written(app)
    assert "Allergies et PAI" not in staff.get("/equipe/registre/copie").get_data(as_text=True)


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), ([], ""), (True, "oui"), (False, ""), (["arachide", "", "lait"], "arachide, lait"), ("œuf", "œuf")],
)
def test_allergies_and_pai_are_written_as_one_line_whatever_their_shape(value, text):
    assert evacuation.health_text(value) == text


def test_a_register_directory_the_gateway_cannot_write_stops_the_start(tmp_path):
    taken = tmp_path / "un-fichier"
    taken.write_text("")
    with pytest.raises(ValueError, match="COCOON_REGISTER_DIR=.* is not a directory the gateway can write"):
        settings.load({"REGISTER_DIR": taken})


def test_the_register_directory_is_under_the_var_directory_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("COCOON_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("COCOON_REGISTER_DIR", raising=False)
    assert settings.load()["REGISTER_DIR"] == tmp_path / "registre"
    assert oct((tmp_path / "registre").stat().st_mode & 0o777) == "0o700"
