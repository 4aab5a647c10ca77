"""« Télécharger mes données » in a real browser: a family clicks the link on its space and gets
the ZIP of its data, its booking inside; staff download a family's from the accounts page. The
family's page and the accounts page pass axe on a desktop, a phone and at 200 %."""

import io
import json
import re
import zipfile

import pytest

from tests.api import Api, Http
from tests.browser.conftest import axe_at_every_viewport, shoot, sign_in_as
from tests.dates import at
from tests.factories import PASSWORD, child_fields, family_fields

EMAIL = "export.nour@example.fr"


@pytest.fixture(scope="module")
def family(stack, staff_api):
    """A family with a child booked on a morning slot, made through the API: (sign-in fields, booking)."""
    room = staff_api.created("/api/v1/rooms", {"name": "Les Hérissons", "kind": "childcare", "capacity": 8})
    slot = staff_api.created(
        "/api/v1/childcare-slots",
        {"room_id": room["id"], "starts_at": at(14), "ends_at": at(17), "age_group": "walking", "staff_on_duty": 2},
    )
    fields = family_fields(email=EMAIL, password=PASSWORD)
    api = Api(Http(stack))
    api.created("/api/v1/families", fields)
    signed_in = api.signed_in(fields)
    child = signed_in.created("/api/v1/families/me/children", child_fields(first_name="Nour"))
    booking = signed_in.created("/api/v1/bookings", {"slot_id": slot["id"], "child_id": child["id"]})
    return fields, booking


def sign_in(page, fields):
    sign_in_as(page, fields["email"], fields["password"], "/famille/")


def archive_of(download):
    archive = zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read()))
    return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_a_family_downloads_its_data_and_finds_its_booking(page, family):
    fields, booking = family
    sign_in(page, fields)
    link = page.get_by_role("link", name="Télécharger mes données")
    shoot(page, "mes-donnees-famille")
    with page.expect_download() as downloading:
        link.click()
    download = downloading.value
    assert download.suggested_filename.startswith("cocoonage-donnees-") and download.suggested_filename.endswith(".zip")
    files = archive_of(download)
    assert "README.txt" in files and "Date de l'export" in files["README.txt"]
    assert [b["id"] for b in json.loads(files["bookings.json"])["bookings"]] == [booking["id"]]
    assert json.loads(files["gateway.json"])["account"]["email"] == EMAIL


def test_staff_download_a_familys_data_from_the_accounts_page(staff_page, family):
    fields, booking = family
    staff_page.goto("/equipe/comptes/?role=family")
    with staff_page.expect_download() as downloading:
        row = staff_page.get_by_role("row").filter(has_text=EMAIL)
        row.get_by_role("link", name=re.compile("^Télécharger les données de ")).click()
    files = archive_of(downloading.value)
    assert [b["id"] for b in json.loads(files["bookings.json"])["bookings"]] == [booking["id"]]


def test_the_familys_space_and_the_accounts_page_pass_axe(browser, stack, family, staff_state):
    fields, _ = family
    found = axe_at_every_viewport(
        browser, stack, {"famille-mes-donnees": "/famille/"}, sign_in=lambda p: sign_in(p, fields)
    )
    found.update(
        axe_at_every_viewport(
            browser, stack, {"comptes-donnees": "/equipe/comptes/?role=family"}, storage_state=staff_state
        )
    )
    assert found == {}
