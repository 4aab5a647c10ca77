"""The bookings export of a family under contract: the contract, its absence and the certificate
sent with it (the file itself, opened), and nothing of another family's."""

import base64
import json

from tests.unit.bookings import test_absence_requests as absences

service = absences.service  # the same service and family under contract as the absence tests


def test_the_export_holds_the_contract_its_absence_and_the_certificate_file(service):
    family, signed = absences.contract(service)
    asked = service.record_absence(
        signed["id"], absences.MARCH_ILLNESS, family["id"], certificate=absences.b64(absences.JPEG)
    )
    other, _ = absences.contract(service, email="autre@example.fr")
    person = {"account_id": "account-1", "subject_id": family["id"], "email": family["email"], "role": "family"}
    answer = json.loads(json.dumps(service.export_person(person)))
    [kept] = answer["contracts"]
    assert kept["id"] == signed["id"]
    assert [a["id"] for a in kept["absences"]] == [asked["id"]]
    [certificate] = answer["absence_certificates"]
    assert certificate["absence_id"] == asked["id"]
    assert base64.b64decode(certificate["content_base64"]) == absences.JPEG
    assert other["id"] not in json.dumps(answer)
