"""The JSON API, v1 (../shared/api-contract.md). Views stay thin: check the caller, call a service."""
import uuid

from flask import Blueprint, current_app, g, jsonify, request

from services.bookings.schemas import ActivityIn, ActivityOut, RoomIn, RoomOut
from services.gateway import auth
from services.gateway.errors import ApiError
from services.gateway.models import database
from services.gateway.routing import api_route, json_body, validated
from services.gateway.schemas import AccountIn, AccountOut, StaffIn, TokenIn, TokenOut
from services.volunteers.schemas import VolunteerIn, VolunteerOut
from shared.timeutil import from_db

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def services():
    """The RPC proxy for this request, carrying its correlation id."""
    return current_app.extensions["rpc_pool"].cluster(g.correlation_id)


def created(body):
    return jsonify(body), 201


# --- accounts ---------------------------------------------------------------------------
@api_route(bp, "/auth/token", "POST", "Obtenir un jeton d'accès", body=TokenIn, response=TokenOut, tag="comptes")
def token():
    creds = validated(TokenIn(), json_body())
    with database.atomic():
        account, value, expires_at = auth.issue_token(creds["email"], creds["password"])
    return jsonify({"token": value, "role": account.role, "expires_at": from_db(expires_at).isoformat()})


@api_route(bp, "/staff", "POST", "Créer un compte équipe", roles=("staff",), body=StaffIn, response=AccountOut,
           status=201, tag="comptes")
@auth.require("staff")
def create_staff():
    data = validated(StaffIn(), json_body())
    with database.atomic():
        account = auth.create_account(data["email"], data["password"], "staff",
                                      first_name=data["first_name"], last_name=data["last_name"])
    return created(AccountOut().dump(account))


@api_route(bp, "/volunteers", "POST", "S'inscrire comme bénévole", body=VolunteerIn, response=VolunteerOut,
           status=201, tag="bénévoles")
def register_volunteer():
    data = json_body()
    account = validated(AccountIn(), data)
    if auth.email_taken(account["email"]):
        raise ApiError(409, "conflict", "Un compte existe déjà avec cette adresse.", {"email": ["Adresse déjà utilisée."]})
    profile = {k: v for k, v in data.items() if k != "password"}
    profile["id"] = str(uuid.uuid4())
    with services() as rpc:
        volunteer = rpc.volunteers.register_volunteer(profile)
    with database.atomic():
        auth.create_account(account["email"], account["password"], "volunteer", subject_id=volunteer["id"],
                            first_name=volunteer["first_name"], last_name=volunteer["last_name"])
    return created(volunteer)


@api_route(bp, "/volunteers/me", "GET", "Mon profil de bénévole", roles=("volunteer",), response=VolunteerOut,
           tag="bénévoles")
@auth.require("volunteer")
def my_volunteer_profile():
    with services() as rpc:
        return jsonify(rpc.volunteers.get_volunteer(auth.current_account().subject_id))


# --- venue calendar -----------------------------------------------------------------------
@api_route(bp, "/rooms", "POST", "Créer une salle", roles=("staff",), body=RoomIn, response=RoomOut, status=201,
           tag="calendrier")
@auth.require("staff")
def create_room():
    data = json_body()
    with services() as rpc:
        return created(rpc.bookings.create_room(data))


@api_route(bp, "/rooms", "GET", "Lister les salles", roles=("staff", "family", "trainee", "volunteer"),
           response=RoomOut, many=True, tag="calendrier")
@auth.require()
def list_rooms():
    with services() as rpc:
        return jsonify(rpc.bookings.list_rooms())


@api_route(bp, "/activities", "POST", "Programmer une activité", roles=("staff",), body=ActivityIn,
           response=ActivityOut, status=201, tag="calendrier")
@auth.require("staff")
def schedule_activity():
    data = json_body()
    with services() as rpc:
        return created(rpc.bookings.schedule_activity(data))


@api_route(bp, "/activities", "GET", "Lister les activités (from, to)", roles=("staff", "family", "trainee", "volunteer"),
           response=ActivityOut, many=True, tag="calendrier")
@auth.require()
def list_activities():
    query = {k: request.args[k] for k in ("from", "to") if request.args.get(k)}
    with services() as rpc:
        return jsonify(rpc.bookings.list_activities(query))


@api_route(bp, "/activities/<activity_id>", "GET", "Voir une activité", roles=("staff", "family", "trainee", "volunteer"),
           response=ActivityOut, tag="calendrier")
@auth.require()
def get_activity(activity_id):
    with services() as rpc:
        return jsonify(rpc.bookings.get_activity(activity_id))


# --- volunteers -------------------------------------------------------------------------
@api_route(bp, "/opportunities", "GET", "Activités ouvertes aux bénévoles, les plus adaptées d'abord",
           roles=("volunteer",), tag="bénévoles")
@auth.require("volunteer")
def list_opportunities():
    with services() as rpc:
        return jsonify(rpc.volunteers.list_opportunities(auth.current_account().subject_id))
