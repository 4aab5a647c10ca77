"""Absences of contract children (bookings service): staff's queue of requests, their decisions,
and the certificate a family sends with its request (docs/api.md, "Absences")."""

from flask import jsonify, request

from services.bookings.schemas import (
    AbsenceApproveIn,
    AbsenceCertificateOut,
    AbsenceOut,
    AbsenceQuery,
    AbsenceRejectIn,
    AbsenceRowOut,
)
from services.gateway import auth, certificates
from services.gateway.api import bp, services
from services.gateway.api.childcare import family_scope
from services.gateway.body_limit import takes_file
from services.gateway.pagination import page_response
from services.gateway.routing import api_route, json_body


def _staff_id():
    return auth.current_account().id


@api_route(
    bp,
    "/absences",
    "GET",
    "Absences des enfants sous contrat (filtre status : requested pour les demandes à valider ; limit, cursor)",
    roles=("educator",),
    many=True,
    query=AbsenceQuery,
    response=AbsenceRowOut,
    tag="contrats",
)
def list_absences(query):
    with services() as rpc:
        return page_response(rpc.bookings.list_absences(query), query)


@api_route(
    bp,
    "/absences/<absence_id>/approve",
    "POST",
    "Accepter une demande d'absence (proof_seen : true pour une maladie ou une hospitalisation) : elle est déduite",
    roles=("educator",),
    body=AbsenceApproveIn,
    response=AbsenceOut,
    tag="contrats",
)
def approve_absence(absence_id):
    data = json_body() if request.get_data() else {}
    with services() as rpc:
        return jsonify(rpc.bookings.approve_absence(absence_id, data, _staff_id()))


@api_route(
    bp,
    "/absences/<absence_id>/reject",
    "POST",
    "Refuser une demande d'absence, avec le motif que la famille lira",
    roles=("educator",),
    body=AbsenceRejectIn,
    response=AbsenceOut,
    tag="contrats",
)
def reject_absence(absence_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.bookings.reject_absence(absence_id, data, _staff_id()))


@api_route(
    bp,
    "/absences/<absence_id>/withdraw",
    "POST",
    "Retirer une absence acceptée tant que son mois est ouvert : ses heures sont de nouveau facturées",
    roles=("educator",),
    response=AbsenceOut,
    tag="contrats",
)
def withdraw_absence(absence_id):
    with services() as rpc:
        return jsonify(rpc.bookings.withdraw_absence(absence_id, _staff_id()))


@api_route(
    bp,
    "/absences/<absence_id>/certificate",
    "PUT",
    "Envoyer le certificat d'une demande d'absence : le fichier (JPEG, PNG ou PDF, 5 Mio au plus) comme corps",
    roles=("educator", "family"),
    response=AbsenceCertificateOut,
    tag="contrats",
    upload=certificates.MEDIA_TYPES,
)
@takes_file(certificates.MAX_BYTES)
def put_certificate(absence_id):
    content = certificates.raw_body()
    with services() as rpc:
        return jsonify(rpc.bookings.put_certificate(absence_id, content, family_scope()))


@api_route(
    bp,
    "/absences/<absence_id>/certificate",
    "GET",
    "Le certificat d'une absence (sa famille ou l'équipe)",
    roles=("educator", "family"),
    tag="contrats",
    content_type="application/octet-stream",
)
def get_certificate(absence_id):
    with services() as rpc:
        return certificates.download(rpc.bookings.get_certificate(absence_id, family_scope()))
