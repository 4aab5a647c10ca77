"""Signatures of the attendance sheet, per half-day (education service, docs/api.md): staff send
a signature drawn on the trainer's tablet (a participant's or the trainer's own), get the
half-day's QR code, and a trainee or a volunteer signs on their own phone with the QR code's
token (only while the half-day runs: the education service's rule; a token this gateway did not
sign leads nowhere: 404)."""

from flask import Response

from services.education.schemas import SignatureOut
from services.gateway import auth, half_day_codes, people
from services.gateway.api import bp, created, services
from services.gateway.errors import ApiError
from services.gateway.routing import api_route, json_body

TAG = "formations"
BAD_CODE = "Ce QR code n'est pas valable : demandez au formateur ou à la formatrice de l'afficher à nouveau."


@api_route(
    bp,
    "/sessions/<session_id>/signatures",
    "POST",
    "Signature sur la tablette du formateur pour une demi-journée : {part_index, half_day, participant_id "
    "(« trainer » pour le formateur), image (PNG en data URL, 200 ko au plus)} ; elle note la présence",
    roles=("trainer",),
    response=SignatureOut,
    status=201,
    tag=TAG,
)
def sign_on_tablet(session_id):
    data = json_body()
    fields = {k: data.get(k) for k in ("part_index", "half_day", "participant_id", "image")}
    with services() as rpc:
        return created(rpc.education.sign_attendance(session_id, {**fields, "method": "tablet"}))


@api_route(
    bp,
    "/sessions/<session_id>/half-days/<part_index>/<half_day>/qr.svg",
    "GET",
    "Le QR code d'une demi-journée (SVG) : scanné par un stagiaire ou un bénévole pour signer sur son téléphone",
    roles=("trainer",),
    tag=TAG,
    content_type="image/svg+xml",
)
def half_day_qr(session_id, part_index, half_day):
    with services() as rpc:
        found = rpc.education.get_session(session_id)  # an unknown session is not found
    halves = {
        (h["part_index"], h["half_day"]) for part in found.get("parts") or [] for h in part.get("half_days") or []
    }
    index = int(part_index) if part_index.isdecimal() else -1
    if (index, half_day) not in halves:
        raise ApiError(404, "not_found", "Cette session n'a pas cette demi-journée.")
    url = half_day_codes.signing_url(session_id, index, half_day)
    svg = half_day_codes.qr_svg(url, "QR code d'émargement")
    return Response(f'<?xml version="1.0" encoding="utf-8"?>\n{svg}', mimetype="image/svg+xml")


@api_route(
    bp,
    "/signatures/<token>",
    "POST",
    "Signer sur son téléphone avec le QR code d'une demi-journée : {image (PNG en data URL)} ; "
    "refusé (409) avant le début ou après la fin de la demi-journée",
    roles=("trainee", "volunteer"),
    response=SignatureOut,
    status=201,
    tag=TAG,
)
def sign_on_phone(token):
    found = half_day_codes.read(token)
    if found is None:
        raise ApiError(404, "not_found", BAD_CODE)
    session_id, part_index, half_day = found
    data = json_body()
    account = auth.current_account()
    fields = {
        "part_index": part_index,
        "half_day": half_day,
        "participant_id": people.participant(account)[1],
        "method": "phone",
        "image": data.get("image"),
    }
    with services() as rpc:
        return created(rpc.education.sign_attendance(session_id, fields))
