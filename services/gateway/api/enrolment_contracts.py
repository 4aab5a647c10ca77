"""Learners' contracts (education service): a self-funded learner's contrat de formation accepted
online, the withdrawal (« rétractation ») within 10 days, the payments staff record, the
convention de formation of an employer- or OPCO-funded enrolment (docs/education-rules.md).

Who does what: a trainee or a volunteer accepts and withdraws from their own contract and
downloads their own documents (another's is not found, from the service); staff accept on behalf
of a professional or an external person (who have no account), record a retraction received by
letter for anyone, record payments and download every document.
"""

from flask import current_app, jsonify

from services.education.schemas import EnrolmentDetailOut, EnrolmentOut, EnrolmentPaymentIn
from services.gateway import downloads, people, training_contracts, training_documents
from services.gateway.api import bp, created, services
from services.gateway.errors import ApiError
from services.gateway.routing import api_route, json_body

TAG = "formations"
PARTICIPANTS = ("trainee", "volunteer")
EVERYONE = ("trainer", *PARTICIPANTS)  # who may read the training offer: the trainers and those who enrol


def _participant_id():
    """The signed-in trainee's or volunteer's id (None for staff: any enrolment)."""
    if people.as_staff():
        return None
    subject = people.participant()[1]
    if subject is None:
        raise ApiError(403, "forbidden", "Votre rôle ne permet pas cette action.")
    return subject


@api_route(
    bp,
    "/enrolments/<enrolment_id>",
    "GET",
    "Une inscription avec sa session et sa formation : son contrat, son délai de rétractation, ses paiements "
    "(équipe ; stagiaire et bénévole : la leur)",
    roles=EVERYONE,
    response=EnrolmentDetailOut,
    tag=TAG,
)
def get_enrolment_detail(enrolment_id):
    with services() as rpc:
        return jsonify(rpc.education.get_enrolment(enrolment_id, _participant_id()))


@api_route(
    bp,
    "/enrolments/<enrolment_id>/contract/accept",
    "POST",
    "Accepter le contrat de formation (financement personnel) : le délai de rétractation de 10 jours commence "
    "(stagiaire et bénévole : le leur ; équipe : pour une personne sans compte)",
    roles=EVERYONE,
    response=EnrolmentOut,
    tag=TAG,
)
def accept_training_contract(enrolment_id):
    with services() as rpc:
        return jsonify(rpc.education.accept_contract(enrolment_id, _participant_id()))


@api_route(
    bp,
    "/enrolments/<enrolment_id>/retract",
    "POST",
    "Se rétracter dans les 10 jours après l'acceptation du contrat, sans frais : l'inscription passe « retracted » "
    "et la place libérée va à la liste d'attente (stagiaire et bénévole : la leur ; équipe : pour le compte de la "
    "personne)",
    roles=EVERYONE,
    response=EnrolmentOut,
    tag=TAG,
)
def retract_enrolment(enrolment_id):
    with services() as rpc:
        return jsonify(rpc.education.retract_enrolment(enrolment_id, _participant_id()))


@api_route(
    bp,
    "/enrolments/<enrolment_id>/payments",
    "POST",
    "Enregistrer un paiement d'une personne qui finance elle-même sa formation : refusé (409) avant la fin du délai "
    "de rétractation, au-delà de 30 % du prix avant la fin de la session, au-delà du prix ensuite",
    roles=("accounting",),
    body=EnrolmentPaymentIn,
    response=EnrolmentOut,
    status=201,
    tag=TAG,
)
def record_enrolment_payment(enrolment_id):
    data = json_body()
    with services() as rpc:
        return created(rpc.education.record_payment(enrolment_id, data))


@api_route(
    bp,
    "/enrolments/<enrolment_id>/contract.pdf",
    "GET",
    "Le contrat de formation (PDF, financement personnel), avec les mentions de l'article L6353-4",
    roles=EVERYONE,
    tag=TAG,
    content_type="application/pdf",
)
def training_contract_pdf(enrolment_id):
    detail = _detail(enrolment_id)
    if detail.get("funding") != "self_funded":
        raise ApiError(
            409, "conflict", "Seule une personne qui finance elle-même sa formation a un contrat de formation."
        )
    return downloads.pdf(
        training_contracts.contract_pdf(detail, _organisation()), training_contracts.contract_filename(enrolment_id)
    )


@api_route(
    bp,
    "/enrolments/<enrolment_id>/convention.pdf",
    "GET",
    "La convention de formation (PDF) d'une inscription financée par l'employeur, un OPCO ou France Travail, avec "
    "le nom du financeur et le numéro d'accord",
    roles=EVERYONE,
    tag=TAG,
    content_type="application/pdf",
)
def training_convention_pdf(enrolment_id):
    detail = _detail(enrolment_id)
    if not detail.get("convention"):
        raise ApiError(
            409, "conflict", "Une convention de formation se signe avec un employeur, un OPCO ou France Travail."
        )
    return downloads.pdf(
        training_contracts.convention_pdf(detail, _organisation()), training_contracts.convention_filename(enrolment_id)
    )


def _detail(enrolment_id):
    with services() as rpc:
        return rpc.education.get_enrolment(enrolment_id, _participant_id())


def _organisation():
    return training_documents.organisation_of(current_app.config)
