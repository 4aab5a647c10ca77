"""The RGPD export's contract (articles 15 and 20): the gateway asks every service
`export_person(person)` and puts each answer in its own JSON file of the ZIP it hands over
(services/gateway/personal_export.py).

`person` is the signed-in account as the gateway knows it: its account id, its record's id in the
service that owns the record (`subject_id`: the family, the volunteer, the trainee; none for
staff, whose team profile has the account's id), its email and its role. Each service answers a
JSON-serialisable dict of everything it holds about that person (and a family's children),
through its Out schemas; an empty list where it holds nothing."""

from marshmallow import Schema, fields, validate

from shared.errors import load
from shared.vocabulary import ROLES


class PersonIn(Schema):
    account_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    subject_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=36))
    email = fields.String(load_default="", validate=validate.Length(max=254))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


def person(data):
    """The checked identity (422 for a malformed one)."""
    return load(PersonIn(), data)


def ids_of(who):
    """Every id the services may know this person by: the record's id, and the account's own id
    (staff are known by it; a trainee may be assigned by either, see api/calendar.assign_trainee;
    the notifications name an account without a record by it)."""
    return [i for i in dict.fromkeys([who.get("subject_id"), who["account_id"]]) if i]


def record_id(who, role):
    """The id of the record this service keeps for a person of `role`, or None for another role."""
    return who.get("subject_id") if who["role"] == role else None
