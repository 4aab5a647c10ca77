"""The evacuation register (registre d'évacuation) of /equipe/registre: everyone to count outside
when the building is evacuated, put together from three places. The children noted present
(bookings' `building_register`), the adults the schedule puts in the building now, who do not
check in: the trainees and volunteers of the activities under way (bookings' `on_site_now`,
named from the gateway's accounts), and the trainer and participants of the training sessions
under way (education). The children's list must show whatever happens: a training session whose
participants education cannot give now is named as missing instead of failing the page."""

from dataclasses import dataclass

from flask_babel import gettext as _
from nameko.exceptions import RemoteError, RpcTimeout, UnknownService

from services.gateway.models import Account, AccountRole
from shared.errors import ServiceError

SESSION_PARTICIPANTS_SHOWN = 200
UNANSWERED = (ServiceError, RemoteError, RpcTimeout, UnknownService)  # education did not give the list


@dataclass(frozen=True)
class Register:
    children: dict  # bookings' building_register: {at, count, children}
    adults: list  # [(name, what they are, where, until)]
    missing: list  # the parts that could not be listed, as the page names them


def register_now(rpc, names_of=None):
    """The register at this moment; `names_of(ids)` gives {id: name} (the gateway's accounts by default)."""
    children = rpc.bookings.building_register({})
    adults, missing = adults_on_site(rpc, rpc.bookings.on_site_now(), names_of or account_names)
    return Register(children, adults, missing)


def adults_on_site(rpc, on_site, names_of):
    """[(name, what they are, where, until)] of the adults the schedule puts in the building now,
    and the parts that could not be listed."""
    trainees = {i for a in on_site["activities"] for i in a["trainee_ids"]}
    volunteers = {i for a in on_site["activities"] for i in a["volunteer_ids"]}
    names = names_of(trainees | volunteers)
    adults = []
    for a in on_site["activities"]:
        where = f"{a['title']} ({a['room_name']})"
        adults += [(names.get(i, _("Stagiaire")), _("Stagiaire"), where, a["ends_at"]) for i in a["trainee_ids"]]
        adults += [(names.get(i, _("Bénévole")), _("Bénévole"), where, a["ends_at"]) for i in a["volunteer_ids"]]
    missing = []
    for session in on_site["sessions"]:
        where = f"{session['title']} ({session['room_name']})"
        query = {"status": "confirmed", "limit": SESSION_PARTICIPANTS_SHOWN}
        try:
            trainer = rpc.education.get_session(session["session_id"]).get("trainer")
            enrolled = rpc.education.list_enrolments(session["session_id"], query)
        except UNANSWERED:
            missing.append(_("les participants de la formation « %(title)s »", title=session["title"]))
            continue
        if trainer:
            adults.append((trainer, _("Formateur ou formatrice"), where, session["ends_at"]))
        adults += [(e["name"], _("En formation"), where, session["ends_at"]) for e in enrolled.get("items", [])]
    return adults, missing


def account_names(ids):
    """{id: "First Last"} of the accounts known by these ids (a trainee may be assigned by account id)."""
    if not ids:
        return {}
    ids = list(ids)
    rows = (
        AccountRole.select(AccountRole, Account)
        .join(Account)
        .where((AccountRole.subject_id.in_(ids)) | (Account.id.in_(ids)))
    )
    names = {}
    for row in rows:  # every role's record of the account, and its own id
        names[row.subject_id] = names[row.account.id] = row.account.display_name
    names.pop(None, None)
    return names


def has_health(register):
    """Whether any child of the register carries its allergies or its PAI (optional keys of bookings'
    building_register): the copy then has a column for them."""
    return any(child.get("allergies") or child.get("pai") for child in register.get("children") or [])


def health_text(value):
    """A child's allergies or PAI as one line: a list joined, a yes written « oui », a text as it is."""
    if value is True:
        return "oui"
    if not value:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(health_text(item) for item in value if item)
    if isinstance(value, dict):
        return " · ".join(health_text(item) for item in value.values() if item)
    return str(value)
