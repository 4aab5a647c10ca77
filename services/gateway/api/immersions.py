"""PMSMP immersions (placements service): the coordination records them, their signatures, the
beneficiary's attestation d'honorabilité and draws the convention; the tutor (or the
coordination) records the assessment; a beneficiary reads their own (404 for another's)."""

from flask import jsonify

from services.gateway import auth, immersions
from services.gateway.api import bp, created, services
from services.gateway.pagination import page_response
from services.gateway.routing import api_route, json_body
from services.placements.schemas import (
    AssessmentIn,
    ImmersionOut,
    ImmersionQuery,
    ImmersionRequestIn,
    ReasonIn,
    SignatureIn,
    TraineeHonorabilityIn,
)

TAG = "immersions"


def scope():
    return immersions.beneficiary_scope(auth.current_account())


@api_route(
    bp,
    "/immersions",
    "POST",
    "Enregistrer une immersion professionnelle (PMSMP) et le compte de son ou sa bénéficiaire (un mois au plus, "
    "un seul objet, un emploi du temps dans les limites du temps de travail)",
    roles=("coordinator",),
    body=ImmersionRequestIn,
    response=ImmersionOut,
    status=201,
    tag=TAG,
)
def create_immersion():
    return created(immersions.create(json_body(), auth.current_account()))


@api_route(
    bp,
    "/immersions",
    "GET",
    "Immersions (équipe : toutes, filtres status, tutor_id ; bénéficiaire : les siennes)",
    roles=("coordinator", "beneficiary"),
    many=True,
    response=ImmersionOut,
    query=ImmersionQuery,
    tag=TAG,
)
def list_immersions(query):
    with services() as rpc:
        return page_response(rpc.placements.list_immersions(query, scope()), query)


@api_route(
    bp,
    "/immersions/<immersion_id>",
    "GET",
    "Une immersion : bénéficiaire, prescripteur, objet, dates, emploi du temps, signatures, attestation, bilan",
    roles=("coordinator", "beneficiary"),
    response=ImmersionOut,
    tag=TAG,
)
def get_immersion(immersion_id):
    with services() as rpc:
        return jsonify(rpc.placements.get_immersion(immersion_id, scope()))


@api_route(
    bp,
    "/immersions/<immersion_id>/convention.pdf",
    "GET",
    "La convention de PMSMP (PDF : parties, objet, objectifs, dates, horaires, tuteur, protection sociale, signatures)",
    roles=("coordinator", "beneficiary"),
    tag=TAG,
    content_type="application/pdf",
)
def immersion_convention_pdf(immersion_id):
    return immersions.convention_pdf(immersion_id, scope())


@api_route(
    bp,
    "/immersions/<immersion_id>/signatures",
    "POST",
    "Enregistrer la signature d'une partie (bénéficiaire, structure d'accueil, prescripteur) ; la troisième "
    "exige l'attestation d'honorabilité valable sur toute la période (409 sinon)",
    roles=("coordinator",),
    body=SignatureIn,
    response=ImmersionOut,
    status=201,
    tag=TAG,
)
def sign_immersion(immersion_id):
    data = json_body()
    with services() as rpc:
        return created(rpc.placements.sign_immersion(immersion_id, data))


@api_route(
    bp,
    "/immersions/<immersion_id>/honorability",
    "POST",
    "Enregistrer l'attestation d'honorabilité vérifiée du ou de la bénéficiaire (422 si vérifiée plus de 6 mois "
    "après son émission)",
    roles=("coordinator",),
    body=TraineeHonorabilityIn,
    response=ImmersionOut,
    status=201,
    tag=TAG,
)
def record_beneficiary_honorability(immersion_id):
    data = json_body()
    with services() as rpc:
        return created(rpc.placements.record_beneficiary_honorability(immersion_id, data, auth.current_account().id))


@api_route(
    bp,
    "/immersions/<immersion_id>/assessment",
    "POST",
    "Enregistrer le bilan de l'immersion (le tuteur ou la tutrice, ou la coordination) ; il est envoyé au prescripteur",
    roles=("coordinator", "educator"),
    body=AssessmentIn,
    response=ImmersionOut,
    status=201,
    tag=TAG,
)
def assess_immersion(immersion_id):
    data = json_body()
    account = auth.current_account()
    with services() as rpc:
        return created(rpc.placements.assess_immersion(immersion_id, data, account.id, immersions.coordinates(account)))


@api_route(
    bp,
    "/immersions/<immersion_id>/cancel",
    "POST",
    "Annuler une immersion (avec un motif)",
    roles=("coordinator",),
    body=ReasonIn,
    response=ImmersionOut,
    tag=TAG,
)
def cancel_immersion(immersion_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.placements.cancel_immersion(immersion_id, data))
