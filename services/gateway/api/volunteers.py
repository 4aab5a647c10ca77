"""Volunteers (volunteers service): the activities open to them, their sign-ups and hours; staff
record the honorability attestation and the insurance, and see the volunteers and the attestations
about to expire. A volunteer only ever reaches their own record: the id comes from the token."""

import csv
import io
from datetime import datetime

from flask import Response, jsonify

from services.gateway import auth
from services.gateway.api import bp, created, services
from services.gateway.pagination import page_response
from services.gateway.routing import api_route, json_body, validated
from services.volunteers.schemas import (
    ExpiringOut,
    ExpiringQuery,
    HonorabilityIn,
    HoursOut,
    HoursQuery,
    InsuranceIn,
    OpportunityQuery,
    ProfileOut,
    SignupOut,
    VolunteerQuery,
)
from shared.vocabulary import ACTIVITY_KIND_LABELS, AGE_GROUP_LABELS, AGE_GROUP_UNKNOWN_LABEL


def _me():
    return auth.current_account().subject_id


@api_route(
    bp,
    "/opportunities",
    "GET",
    "Activités ouvertes aux bénévoles, les plus adaptées d'abord (paramètres limit, cursor)",
    roles=("volunteer",),
    many=True,
    query=OpportunityQuery,
    tag="bénévoles",
)
def list_opportunities(query):
    with services() as rpc:
        return page_response(rpc.volunteers.list_opportunities(_me(), query), query)


@api_route(
    bp,
    "/opportunities/<activity_id>/signup",
    "POST",
    "M'inscrire à une activité (409/422 avec la raison d'un refus)",
    roles=("volunteer",),
    response=SignupOut,
    status=201,
    tag="bénévoles",
)
def sign_up(activity_id):
    with services() as rpc:
        return created(rpc.volunteers.sign_up(_me(), activity_id))


@api_route(
    bp,
    "/signups/<signup_id>/withdraw",
    "POST",
    "Me désinscrire avant le début de l'activité",
    roles=("volunteer",),
    response=SignupOut,
    tag="bénévoles",
)
def withdraw(signup_id):
    with services() as rpc:
        return jsonify(rpc.volunteers.withdraw(signup_id, _me()))


@api_route(
    bp,
    "/volunteers/me/hours",
    "GET",
    "Mes heures de bénévolat d'une année (paramètre year, par défaut l'année en cours)",
    roles=("volunteer",),
    query=HoursQuery,
    response=HoursOut,
    tag="bénévoles",
)
def my_hours(query):
    with services() as rpc:
        return jsonify(rpc.volunteers.my_hours(_me(), query))


@api_route(
    bp,
    "/volunteers",
    "GET",
    "Les bénévoles, avec ce qui leur manque pour venir auprès des enfants (équipe)",
    roles=("staff",),
    many=True,
    query=VolunteerQuery,
    response=ProfileOut,
    tag="bénévoles",
)
def list_volunteers(query):
    with services() as rpc:
        return page_response(rpc.volunteers.list_volunteers(query), query)


@api_route(
    bp,
    "/volunteers/expiring-attestations",
    "GET",
    "Attestations d'honorabilité qui expirent bientôt (équipe)",
    roles=("staff",),
    many=True,
    query=ExpiringQuery,
    response=ExpiringOut,
    tag="bénévoles",
)
def expiring_attestations(query):
    with services() as rpc:
        return page_response(rpc.volunteers.list_expiring(query), query)


@api_route(
    bp,
    "/volunteers/<volunteer_id>/honorability",
    "POST",
    "Enregistrer l'attestation d'honorabilité vérifiée (équipe)",
    roles=("staff",),
    body=HonorabilityIn,
    response=ProfileOut,
    status=201,
    tag="bénévoles",
)
def record_honorability(volunteer_id):
    data = json_body()
    with services() as rpc:
        return created(rpc.volunteers.record_honorability(volunteer_id, data, auth.current_account().id))


@api_route(
    bp,
    "/volunteers/<volunteer_id>/insurance",
    "POST",
    "Enregistrer l'assurance qui couvre le bénévole (équipe)",
    roles=("staff",),
    body=InsuranceIn,
    response=ProfileOut,
    status=201,
    tag="bénévoles",
)
def record_insurance(volunteer_id):
    data = json_body()
    with services() as rpc:
        return created(rpc.volunteers.record_insurance(volunteer_id, data, auth.current_account().id))


CSV_COLUMNS = ("Bénévole", "Activité", "Type", "Début", "Fin", "Heures", "Âge des enfants")
AGE_GROUP_NAMES = {**AGE_GROUP_LABELS, "unknown": AGE_GROUP_UNKNOWN_LABEL}
TRAINING = "Formation"


def _decimal(value):
    """ "12.50" -> "12,50": the decimal comma of a French spreadsheet."""
    return str(value or "0.00").replace(".", ",")


def _moment(iso):
    """ "2026-12-03T09:30:00+01:00" -> "03/12/2026 09:30" (the venue's time, as the service gives it)."""
    try:
        return datetime.fromisoformat(iso).strftime("%d/%m/%Y %H:%M")
    except (TypeError, ValueError):
        return iso or ""


def _activities(n):
    return f"{n} activité" if n == 1 else f"{n} activités"


def _parts(n):
    return f"{n} partie de formation" if n == 1 else f"{n} parties de formation"


def _groups_text(groups):
    return ", ".join(f"{AGE_GROUP_NAMES.get(g['age_group'], g['age_group'])} : {g['activities']}" for g in groups)


def hours_csv(found):
    """The venue's year (rpc.volunteers.venue_hours) as the association's activity report: one
    line per volunteer and activity with the children's age group, one per training part
    attended (type « Formation »); then the venue's totals (with the children, by age group,
    training apart); then each volunteer's. `;`, decimal comma, UTF-8 with its BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # what a French spreadsheet opens as columns
    writer.writerow(CSV_COLUMNS)
    for line in found.get("lines", []):
        writer.writerow(
            [
                line.get("volunteer") or "",
                line.get("title") or "",
                ACTIVITY_KIND_LABELS.get(line.get("kind"), line.get("kind") or ""),
                _moment(line.get("starts_at")),
                _moment(line.get("ends_at")),
                _decimal(line.get("hours")),
                AGE_GROUP_NAMES.get(line.get("age_group") or "unknown"),
            ]
        )
    for line in found.get("training_lines", []):
        writer.writerow(
            [
                line.get("volunteer") or "",
                line.get("title") or "",
                TRAINING,
                _moment(line.get("starts_at")),
                _moment(line.get("ends_at")),
                _decimal(line.get("hours")),
                "",
            ]
        )
    writer.writerow([])
    writer.writerow(["Total", _activities(found.get("activities", 0)), "", "", "", _decimal(found.get("hours")), ""])
    for group in found.get("age_groups", []):
        name = AGE_GROUP_NAMES.get(group["age_group"], group["age_group"])
        writer.writerow(["Total", _activities(group["activities"]), "", "", "", _decimal(group["hours"]), name])
    parts = found.get("training_parts", 0)
    writer.writerow(["Total", _parts(parts), TRAINING, "", "", _decimal(found.get("training_hours")), ""])
    if found.get("volunteers"):
        writer.writerow([])
    for each in found.get("volunteers", []):
        row = [each["volunteer"], _activities(each["activities"]), "", "", "", _decimal(each["hours"])]
        writer.writerow(row + [_groups_text(each["age_groups"])])
        if each.get("training_parts"):
            writer.writerow(
                [
                    each["volunteer"],
                    _parts(each["training_parts"]),
                    TRAINING,
                    "",
                    "",
                    _decimal(each["training_hours"]),
                    "",
                ]
            )
    return "\ufeff" + out.getvalue()  # the BOM: Excel reads the accents as UTF-8


def hours_csv_response(found, year):
    return Response(
        hours_csv(found),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="heures-benevoles-{year}.csv"',
            "Cache-Control": "private, no-store",
        },
    )


@api_route(
    bp,
    "/volunteers/hours/<year>.csv",
    "GET",
    "Les heures de bénévolat de l'année, pour le rapport d'activité (CSV, équipe)",
    roles=("staff",),
    tag="bénévoles",
    content_type="text/csv",
)
def venue_hours_csv(year):
    year = validated(HoursQuery(), {"year": year})["year"]
    with services() as rpc:
        found = rpc.volunteers.venue_hours({"year": year})
    return hours_csv_response(found, year)
