"""Corrections of a check-in or check-out by staff, and their history (bookings service)."""

from flask import jsonify

from services.bookings.schemas import AttendanceCorrectionIn, AttendanceRecordOut
from services.gateway import auth, register_copy
from services.gateway.api import bp, services
from services.gateway.routing import api_route, json_body


def _staff_id():
    """Who corrects, as the history keeps it: the signed-in staff account."""
    return auth.current_account().id


@api_route(
    bp,
    "/bookings/<booking_id>/attendance",
    "PATCH",
    "Corriger l'arrivée et le départ d'une réservation (motif obligatoire ; null : pas d'arrivée)",
    roles=("educator",),
    body=AttendanceCorrectionIn,
    response=AttendanceRecordOut,
    tag="pointage",
)
def correct_booking_attendance(booking_id):
    data = json_body()
    with services() as rpc:
        answer = rpc.bookings.correct_booking_attendance(booking_id, data, _staff_id())
    register_copy.refresh()  # the evacuation register's copy, for when the system is down
    return jsonify(answer)


@api_route(
    bp,
    "/bookings/<booking_id>/attendance",
    "GET",
    "Arrivée et départ d'une réservation, avec l'historique des corrections",
    roles=("educator",),
    response=AttendanceRecordOut,
    tag="pointage",
)
def booking_attendance(booking_id):
    with services() as rpc:
        return jsonify(rpc.bookings.booking_attendance(booking_id))


@api_route(
    bp,
    "/contracts/<contract_id>/attendance/<day>",
    "PATCH",
    "Corriger l'arrivée et le départ d'un enfant sous contrat un jour donné (motif obligatoire ; "
    "null et null : présence retirée)",
    roles=("educator",),
    body=AttendanceCorrectionIn,
    response=AttendanceRecordOut,
    tag="pointage",
)
def correct_contract_attendance(contract_id, day):
    data = json_body()
    with services() as rpc:
        answer = rpc.bookings.correct_contract_attendance(contract_id, day, data, _staff_id())
    register_copy.refresh()  # the evacuation register's copy, for when the system is down
    return jsonify(answer)


@api_route(
    bp,
    "/contracts/<contract_id>/attendance/<day>",
    "GET",
    "Arrivée et départ d'un enfant sous contrat un jour donné, avec l'historique des corrections",
    roles=("educator",),
    response=AttendanceRecordOut,
    tag="pointage",
)
def contract_attendance(contract_id, day):
    with services() as rpc:
        return jsonify(rpc.bookings.contract_attendance(contract_id, day))
