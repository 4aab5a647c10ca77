"""The venue calendar: rooms, activities and the venue's closures (bookings service)."""

from flask import jsonify, request

from services.bookings.schemas import (
    ActivityIn,
    ActivityOut,
    ActivityStaffIn,
    CancelIn,
    ClosureIn,
    ClosureOut,
    ClosureQuery,
    CompleteIn,
    DutyStaffQuery,
    PeriodQuery,
    RescheduleIn,
    RoomIn,
    RoomOut,
    RoomQuery,
    StaffMemberOut,
    TraineeIn,
)
from services.gateway import auth
from services.gateway.api import bp, created, services
from services.gateway.pagination import page_response
from services.gateway.routing import api_route, json_body


@api_route(
    bp,
    "/rooms",
    "POST",
    "Créer une salle",
    roles=("director",),
    body=RoomIn,
    response=RoomOut,
    status=201,
    tag="calendrier",
)
def create_room():
    data = json_body()
    with services() as rpc:
        return created(rpc.bookings.create_room(data))


@api_route(
    bp,
    "/rooms",
    "GET",
    "Lister les salles (par nom ; paramètres limit, cursor)",
    roles=auth.SIGNED_IN,
    response=RoomOut,
    many=True,
    query=RoomQuery,
    tag="calendrier",
)
def list_rooms(query):
    with services() as rpc:
        return page_response(rpc.bookings.list_rooms(query), query)


@api_route(
    bp,
    "/activities",
    "POST",
    "Programmer une activité ; avec des enfants, lead_staff_id (le professionnel qui la mène) est "
    "obligatoire depuis que l'encadrement est vérifié : un corps sans lui est refusé (422)",
    roles=("educator",),
    body=ActivityIn,
    response=ActivityOut,
    status=201,
    tag="calendrier",
)
def schedule_activity():
    data = json_body()
    with services() as rpc:
        return created(rpc.bookings.schedule_activity(data))


@api_route(
    bp,
    "/activities",
    "GET",
    "Lister les activités (paramètres from, to, limit, cursor)",
    roles=auth.SIGNED_IN,
    response=ActivityOut,
    many=True,
    query=PeriodQuery,
    tag="calendrier",
)
def list_activities(query):
    with services() as rpc:
        answer = rpc.bookings.list_activities(query)
    return page_response(dict(answer, items=[_as_seen_by_caller(a) for a in answer["items"]]), query)


@api_route(
    bp,
    "/activities/<activity_id>",
    "GET",
    "Voir une activité (qui sont les bénévoles et les stagiaires : l'équipe seulement)",
    roles=auth.SIGNED_IN,
    response=ActivityOut,
    tag="calendrier",
)
def get_activity(activity_id):
    with services() as rpc:
        return jsonify(_as_seen_by_caller(rpc.bookings.get_activity(activity_id)))


# who they are: staff only; everyone sees how many
PEOPLE_FIELDS = ("trainees", "volunteer_ids", "lead", "staff", "lead_staff_id")


def _as_seen_by_caller(activity):
    """Families, volunteers and trainees see how many volunteers and trainees come, not who."""
    if "staff" in auth.current_account().roles:
        return activity
    return {name: value for name, value in activity.items() if name not in PEOPLE_FIELDS}


@api_route(
    bp,
    "/activities/<activity_id>",
    "PATCH",
    "Reprogrammer une activité",
    roles=("educator",),
    body=RescheduleIn,
    response=ActivityOut,
    tag="calendrier",
)
def reschedule_activity(activity_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.bookings.reschedule_activity(activity_id, data))


@api_route(
    bp,
    "/activities/<activity_id>/staff",
    "PATCH",
    "Changer le professionnel qui mène une activité et son personnel (même contrôle qu'à la programmation)",
    roles=("educator",),
    body=ActivityStaffIn,
    response=ActivityOut,
    tag="calendrier",
)
def change_activity_staff(activity_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.bookings.change_activity_staff(activity_id, data))


@api_route(
    bp,
    "/staff-members",
    "GET",
    "Le personnel que l'on peut nommer en poste (paramètre date : attestation d'honorabilité et diplôme ce jour-là)",
    roles=("educator", "coordinator"),
    response=StaffMemberOut,
    many=True,
    query=DutyStaffQuery,
    tag="calendrier",
)
def staff_who_may_be_on_duty(query):
    """Bookings' own view of the staff (from team's events): whom a slot or an activity may name
    on a day. The team's file of each member is GET /staff."""
    with services() as rpc:
        return page_response(rpc.bookings.list_staff_members(query), query)


@api_route(
    bp,
    "/activities/<activity_id>/cancel",
    "POST",
    "Annuler une activité (avec un motif)",
    roles=("educator",),
    body=CancelIn,
    response=ActivityOut,
    tag="calendrier",
)
def cancel_activity(activity_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.bookings.cancel_activity(activity_id, data))


@api_route(
    bp,
    "/activities/<activity_id>/complete",
    "POST",
    "Clore une activité (heures réelles facultatives)",
    roles=("educator",),
    body=CompleteIn,
    response=ActivityOut,
    tag="calendrier",
)
def complete_activity(activity_id):
    data = json_body() if request.get_data() else {}
    with services() as rpc:
        return jsonify(rpc.bookings.complete_activity(activity_id, data))


@api_route(
    bp,
    "/activities/<activity_id>/trainees",
    "POST",
    "Affecter un stagiaire",
    roles=("educator", "coordinator"),
    body=TraineeIn,
    response=ActivityOut,
    tag="calendrier",
)
def assign_trainee(activity_id):
    data = json_body()  # bookings asks the placements service whether the trainee exists (422 if not)
    with services() as rpc:
        return jsonify(rpc.bookings.assign_trainee(activity_id, data))


@api_route(
    bp,
    "/closures",
    "POST",
    "Déclarer une fermeture de la crèche (prévue, hors contrats ; imprévue, déduite dès le 1er jour)",
    roles=("director",),
    body=ClosureIn,
    response=ClosureOut,
    status=201,
    tag="calendrier",
)
def declare_closure():
    data = json_body()
    with services() as rpc:
        return created(rpc.bookings.declare_closure(data, auth.current_account().id))


@api_route(
    bp,
    "/closures",
    "GET",
    "Lister les fermetures (par premier jour ; paramètres limit, cursor)",
    roles=auth.SIGNED_IN,
    response=ClosureOut,
    many=True,
    query=ClosureQuery,
    tag="calendrier",
)
def list_closures(query):
    with services() as rpc:
        return page_response(rpc.bookings.list_closures(query), query)
