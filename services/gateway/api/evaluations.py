"""The evaluation of what was learned (education service): the trainer's result per objective of
the course for each participant, printed on the attestation de fin de formation. Staff only."""

from flask import jsonify

from services.education.schemas import LearningEvaluationIn, LearningEvaluationOut, LearningEvaluationSheetOut
from services.gateway.api import bp, services
from services.gateway.routing import api_route, json_body

TAG = "formations"


@api_route(
    bp,
    "/sessions/<session_id>/evaluations",
    "POST",
    "Noter l'évaluation d'un participant : acquis, en_cours ou non_acquis pour chaque objectif de la "
    "formation (une ligne de ses objectifs), dès le jour de la dernière partie ; une nouvelle saisie "
    "remplace la précédente (révision) jusqu'à la délivrance du certificat (ensuite 409)",
    roles=("trainer",),
    body=LearningEvaluationIn,
    response=LearningEvaluationOut,
    tag=TAG,
)
def record_evaluation(session_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.education.record_evaluation(session_id, data))


@api_route(
    bp,
    "/sessions/<session_id>/evaluations",
    "GET",
    "Les évaluations d'une session : la modalité, les objectifs, les résultats de chaque participant",
    roles=("trainer",),
    response=LearningEvaluationSheetOut,
    tag=TAG,
)
def evaluation_sheet(session_id):
    with services() as rpc:
        return jsonify(rpc.education.evaluation_sheet(session_id))
