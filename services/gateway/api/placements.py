"""Placements: trainees, their placements, hour logs and the tutor's validation (placements service).

Who sees what: staff see every placement; a trainee only their own (the service answers 404 for
another's); only the placement's tutor (a staff account) validates, rejects or evaluates (403
for other staff, from the service). The tutor is checked here to be a staff account: accounts
are the gateway's.
"""

from flask import jsonify

from services.gateway import auth, documents, people
from services.gateway.api import bp, created, services
from services.gateway.api.accounts import sign_up
from services.gateway.errors import ApiError
from services.gateway.models import Account
from services.gateway.pagination import page_response
from services.gateway.routing import api_route, json_body
from services.gateway.schemas import TraineeAccountIn
from services.placements.schemas import (
    EvaluationIn,
    GratificationPaymentIn,
    HourLogIn,
    HourLogOut,
    HourLogQuery,
    PlacementIn,
    PlacementOut,
    PlacementPatchIn,
    PlacementQuery,
    PlacementRowOut,
    ReasonIn,
    TraineeHonorabilityIn,
    TraineeOut,
)

TAG = "stages"


def trainee_scope():
    """A trainee sees their own placements only (their id); staff see all (None)."""
    return people.scope("trainee")


@api_route(
    bp,
    "/trainees",
    "POST",
    "Créer le compte d'un stagiaire (profil tenu par le service des stages)",
    roles=("coordinator",),
    body=TraineeAccountIn,
    response=TraineeOut,
    status=201,
    tag="comptes",
)
def register_trainee():
    return sign_up("trainee", lambda rpc, profile: rpc.placements.register_trainee(profile))


@api_route(
    bp,
    "/trainees/<trainee_id>/honorability",
    "POST",
    "Enregistrer l'attestation d'honorabilité vérifiée d'un stagiaire (équipe ; 422 si vérifiée plus de 6 mois "
    "après son émission)",
    roles=("coordinator",),
    body=TraineeHonorabilityIn,
    response=TraineeOut,
    status=201,
    tag=TAG,
)
def record_trainee_honorability(trainee_id):
    data = json_body()
    with services() as rpc:
        return created(rpc.placements.record_trainee_honorability(trainee_id, data, auth.current_account().id))


@api_route(bp, "/trainees/me", "GET", "Mon profil de stagiaire", roles=("trainee",), response=TraineeOut, tag=TAG)
def my_trainee_profile():
    with services() as rpc:
        return jsonify(rpc.placements.get_trainee(people.own("trainee")))


@api_route(
    bp,
    "/placements",
    "POST",
    "Enregistrer une convention de stage",
    roles=("coordinator",),
    body=PlacementIn,
    response=PlacementOut,
    status=201,
    tag=TAG,
)
def create_placement():
    data = json_body()
    _refuse_unknown_tutor(data)
    with services() as rpc:
        return created(rpc.placements.create_placement(data))


def _refuse_unknown_tutor(data):
    """The tutor must be a staff account: accounts are the gateway's (422 otherwise)."""
    tutor_id = str(data.get("tutor_id", "")) if isinstance(data, dict) else ""
    if tutor_id and not Account.select().where(Account.id == tutor_id, Account.role == "staff").exists():
        raise ApiError(
            422, "validation_failed", "Tuteur inconnu.", {"tutor_id": ["Le tuteur doit être un membre de l'équipe."]}
        )


@api_route(
    bp,
    "/placements/<placement_id>",
    "PATCH",
    "Modifier un stage en cours ou à venir (dates, emploi du temps, heures, tuteur), avec son historique ; "
    "409 si une règle n'est plus tenue",
    roles=("coordinator",),
    body=PlacementPatchIn,
    response=PlacementOut,
    tag=TAG,
)
def update_placement(placement_id):
    data = json_body()
    _refuse_unknown_tutor(data)
    with services() as rpc:
        return jsonify(rpc.placements.update_placement(placement_id, data, auth.current_account().id))


@api_route(
    bp,
    "/placements/<placement_id>/gratification-payments",
    "POST",
    "Enregistrer la gratification versée pour un mois du stage (un versement par mois ; 409 si déjà enregistré)",
    roles=("coordinator", "accounting"),
    body=GratificationPaymentIn,
    response=PlacementOut,
    status=201,
    tag=TAG,
)
def record_gratification_payment(placement_id):
    data = json_body()
    with services() as rpc:
        return created(rpc.placements.record_gratification_payment(placement_id, data, auth.current_account().id))


@api_route(
    bp,
    "/placements",
    "GET",
    "Stages (équipe : tous, filtres tutor_id, trainee_id, status ; stagiaire : les siens)",
    roles=("educator", "coordinator", "trainee"),
    many=True,
    response=PlacementRowOut,
    query=PlacementQuery,
    tag=TAG,
)
def list_placements(query):
    scope = trainee_scope()
    if scope is not None:
        query = {**query, "trainee_id": scope, "tutor_id": None}
    with services() as rpc:
        return page_response(rpc.placements.list_placements(query), query)


@api_route(
    bp,
    "/placements/<placement_id>",
    "GET",
    "Un stage : heures validées, soumises, de formation, progression par semaine, gratification",
    roles=("educator", "coordinator", "trainee"),
    response=PlacementOut,
    tag=TAG,
)
def get_placement(placement_id):
    with services() as rpc:
        return jsonify(rpc.placements.get_placement(placement_id, trainee_scope()))


@api_route(
    bp,
    "/placements/<placement_id>/interrupt",
    "POST",
    "Interrompre un stage (avec un motif)",
    roles=("coordinator",),
    body=ReasonIn,
    response=PlacementOut,
    tag=TAG,
)
def interrupt_placement(placement_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.placements.interrupt_placement(placement_id, data))


@api_route(
    bp,
    "/placements/<placement_id>/complete",
    "POST",
    "Terminer un stage (heures validées et date de fin passée)",
    roles=("coordinator",),
    response=PlacementOut,
    tag=TAG,
)
def complete_placement(placement_id):
    with services() as rpc:
        return jsonify(rpc.placements.complete_placement(placement_id))


@api_route(
    bp,
    "/placements/<placement_id>/evaluation",
    "POST",
    "Évaluer le stagiaire sur la grille de compétences (le tuteur du stage)",
    roles=("educator", "coordinator"),
    body=EvaluationIn,
    response=PlacementOut,
    tag=TAG,
)
def evaluate(placement_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.placements.evaluate(placement_id, auth.current_account().id, data))


@api_route(
    bp,
    "/placements/<placement_id>/hours",
    "POST",
    "Noter des heures de stage (le stagiaire) ; 422 avec chaque règle enfreinte",
    roles=("trainee",),
    body=HourLogIn,
    response=HourLogOut,
    status=201,
    tag=TAG,
)
def log_hours(placement_id):
    data = json_body()
    with services() as rpc:
        return created(rpc.placements.log_hours(placement_id, people.own("trainee"), data))


@api_route(
    bp,
    "/placements/<placement_id>/hours",
    "GET",
    "Les heures notées d'un stage (paramètres status, limit, cursor)",
    roles=("educator", "coordinator", "trainee"),
    many=True,
    response=HourLogOut,
    query=HourLogQuery,
    tag=TAG,
)
def list_hours(placement_id, query):
    with services() as rpc:
        return page_response(rpc.placements.list_hour_logs(placement_id, query, trainee_scope()), query)


@api_route(
    bp,
    "/placements/<placement_id>/hours.csv",
    "GET",
    "Feuille d'heures (CSV pour l'école)",
    roles=("coordinator", "trainee"),
    tag=TAG,
    content_type="text/csv",
)
def hour_sheet(placement_id):
    return documents.hour_sheet_csv(placement_id, trainee_scope())


@api_route(
    bp,
    "/placements/<placement_id>/attestation.pdf",
    "GET",
    "Attestation de stage (PDF, une fois le stage terminé ou interrompu)",
    roles=("coordinator", "trainee"),
    tag=TAG,
    content_type="application/pdf",
)
def attestation_pdf(placement_id):
    return documents.placement_attestation_pdf(placement_id, trainee_scope())


@api_route(
    bp,
    "/hour-logs",
    "GET",
    "Les heures à valider des stages dont je suis tuteur (paramètres status, limit, cursor)",
    roles=("educator", "coordinator"),
    many=True,
    response=HourLogOut,
    query=HourLogQuery,
    tag=TAG,
)
def tutor_hour_logs(query):
    with services() as rpc:
        return page_response(rpc.placements.list_tutor_hour_logs(auth.current_account().id, query), query)


@api_route(
    bp,
    "/hour-logs/<log_id>/validate",
    "POST",
    "Valider des heures (le tuteur du stage)",
    roles=("educator", "coordinator"),
    response=HourLogOut,
    tag=TAG,
)
def validate_hours(log_id):
    with services() as rpc:
        return jsonify(rpc.placements.validate_hours(log_id, auth.current_account().id))


@api_route(
    bp,
    "/hour-logs/<log_id>/reject",
    "POST",
    "Refuser des heures avec un motif (le tuteur du stage)",
    roles=("educator", "coordinator"),
    body=ReasonIn,
    response=HourLogOut,
    tag=TAG,
)
def reject_hours(log_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.placements.reject_hours(log_id, auth.current_account().id, data))


@api_route(
    bp,
    "/hour-logs/<log_id>/correct",
    "POST",
    "Corriger et soumettre à nouveau des heures refusées (le stagiaire)",
    roles=("trainee",),
    body=HourLogIn,
    response=HourLogOut,
    tag=TAG,
)
def correct_hours(log_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.placements.correct_hours(log_id, people.own("trainee"), data))


@api_route(
    bp,
    "/hour-logs/<log_id>/confirm",
    "POST",
    "Confirmer des heures pré-remplies depuis une activité, avant la décision du tuteur (le stagiaire)",
    roles=("trainee",),
    response=HourLogOut,
    tag=TAG,
)
def confirm_hours(log_id):
    with services() as rpc:
        return jsonify(rpc.placements.confirm_hours(log_id, people.own("trainee")))
