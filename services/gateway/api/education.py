"""Continuing education (education service): courses, sessions and their room, enrolments, the
attendance sheet and certificates.

Who sees what: staff do everything; a trainee or a volunteer sees the sessions open to them,
enrols themselves (the participant's kind, id, name and email come from their account, never
from the body: naming someone else is refused), cancels their own enrolment (another's is not
found, from the service) and sees their own enrolments and certificates.
"""

from flask import current_app, jsonify

from services.education.schemas import (
    AttendanceIn,
    AttendanceOut,
    CancelIn,
    CertificateOut,
    CourseIn,
    CourseOut,
    CourseQuery,
    EnrolIn,
    EnrolmentOut,
    EnrolmentQuery,
    ParticipantEnrolmentOut,
    RetryIn,
    SessionIn,
    SessionOut,
    SessionQuery,
    SheetOut,
)
from services.gateway import account_roles, auth, downloads, people, training_documents
from services.gateway.api import bp, created, services
from services.gateway.errors import ApiError
from services.gateway.pagination import page_response
from services.gateway.routing import api_route, json_body
from shared.pagination import PageQuery

TAG = "formations"
PARTICIPANTS = ("trainee", "volunteer")  # the roles that enrol themselves
EVERYONE = ("trainer", *PARTICIPANTS)  # who may read the training offer: the trainers and those who enrol


def _participant():
    """The signed-in trainee or volunteer (None for staff): (kind, record id) under which the
    account takes part (people.participant)."""
    account = auth.current_account()
    if people.as_staff(account):  # a trainer also enrolled acts as the trainer on the trainers' places
        return None
    kind, subject = people.participant(account)
    return (kind, subject) if kind else None


def _own_enrolment(account, data):
    """What a trainee or a volunteer sends for themselves: only the funding is theirs to choose,
    and, when they hold both roles, which of them enrols (`participant_kind`)."""
    kind = data.get("participant_kind") or people.participant(account)[0]
    subject = account_roles.subject_for(account, kind) if kind in PARTICIPANTS else None
    named = data.get("participant_id")
    if subject is None or (named and named != subject):
        raise ApiError(403, "forbidden", "Vous ne pouvez inscrire que vous-même.")
    own = {
        "participant_kind": kind,
        "participant_id": subject,
        "name": account.display_name,
        "email": account.email,
        "funding": data.get("funding"),
    }
    for name in ("funder_name", "agreement_number"):  # the convention's funder (an employer, an OPCO…)
        if data.get(name):
            own[name] = data[name]
    return own


# --- courses ---------------------------------------------------------------------------------------
@api_route(
    bp,
    "/courses",
    "POST",
    "Créer une formation (objectifs, public, durée, formateur, prix, financements acceptés)",
    roles=("trainer",),
    body=CourseIn,
    response=CourseOut,
    status=201,
    tag=TAG,
)
def create_course():
    data = json_body()
    with services() as rpc:
        return created(rpc.education.create_course(data))


@api_route(
    bp,
    "/courses",
    "GET",
    "Les formations, par titre (paramètres limit, cursor)",
    roles=EVERYONE,
    many=True,
    query=CourseQuery,
    response=CourseOut,
    tag=TAG,
)
def list_courses(query):
    with services() as rpc:
        return page_response(rpc.education.list_courses(query), query)


@api_route(bp, "/courses/<course_id>", "GET", "Une formation", roles=EVERYONE, response=CourseOut, tag=TAG)
def get_course(course_id):
    with services() as rpc:
        return jsonify(rpc.education.get_course(course_id))


# --- sessions --------------------------------------------------------------------------------------
@api_route(
    bp,
    "/sessions",
    "POST",
    "Planifier une session (ses demi-journées ou journées) : la salle est demandée au calendrier, "
    "la session passe ensuite « confirmed » ou « room_refused » avec la raison",
    roles=("trainer",),
    body=SessionIn,
    response=SessionOut,
    status=201,
    tag=TAG,
)
def plan_session():
    data = json_body()
    with services() as rpc:
        return created(rpc.education.plan_session(data))


@api_route(
    bp,
    "/sessions",
    "GET",
    "Les sessions, par date (équipe : paramètres status, open_to ; stagiaire et bénévole : celles "
    "encore ouvertes aux inscriptions)",
    roles=EVERYONE,
    many=True,
    query=SessionQuery,
    response=SessionOut,
    tag=TAG,
)
def list_sessions(query):
    participant = _participant()
    if participant is not None:
        query = dict(query, open_to=participant[0], status=None)
        query = {name: value for name, value in query.items() if value is not None}
    with services() as rpc:
        return page_response(rpc.education.list_sessions(query), query)


@api_route(bp, "/sessions/<session_id>", "GET", "Une session", roles=EVERYONE, response=SessionOut, tag=TAG)
def get_session(session_id):
    with services() as rpc:
        return jsonify(rpc.education.get_session(session_id))


@api_route(
    bp,
    "/sessions/<session_id>/retry-room",
    "POST",
    "Redemander la salle (la même, ou room_id) après un refus ou sans réponse",
    roles=("trainer",),
    body=RetryIn,
    response=SessionOut,
    tag=TAG,
)
def retry_room(session_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.education.retry_room(session_id, data))


@api_route(
    bp,
    "/sessions/<session_id>/cancel",
    "POST",
    "Annuler une session (avec un motif) : la salle est libérée, chaque inscription annulée",
    roles=("trainer",),
    body=CancelIn,
    response=SessionOut,
    tag=TAG,
)
def cancel_session(session_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.education.cancel_session(session_id, data))


# --- enrolments ------------------------------------------------------------------------------------
@api_route(
    bp,
    "/sessions/<session_id>/enrolments",
    "POST",
    "Inscrire quelqu'un (équipe), ou m'inscrire (stagiaire, bénévole : seul funding est lu) ; "
    "« waitlisted » quand la session est complète",
    roles=EVERYONE,
    body=EnrolIn,
    response=EnrolmentOut,
    status=201,
    tag=TAG,
)
def enrol(session_id):
    data = json_body()
    if _participant() is not None:
        data = _own_enrolment(auth.current_account(), data)
    with services() as rpc:
        return created(rpc.education.enrol(session_id, data))


@api_route(
    bp,
    "/sessions/<session_id>/enrolments",
    "GET",
    "Les inscriptions d'une session, par date (paramètres status, limit, cursor ; équipe)",
    roles=("trainer",),
    many=True,
    query=EnrolmentQuery,
    response=EnrolmentOut,
    tag=TAG,
)
def list_enrolments(session_id, query):
    with services() as rpc:
        return page_response(rpc.education.list_enrolments(session_id, query), query)


@api_route(
    bp,
    "/enrolments/<enrolment_id>/cancel",
    "POST",
    "Annuler une inscription (équipe ; stagiaire et bénévole : la leur) avant le début ; "
    "la place libérée va au premier de la liste d'attente",
    roles=EVERYONE,
    response=EnrolmentOut,
    tag=TAG,
)
def cancel_enrolment(enrolment_id):
    participant = _participant()
    with services() as rpc:
        if participant is None:
            return jsonify(rpc.education.cancel_enrolment(enrolment_id))
        return jsonify(rpc.education.cancel_enrolment(enrolment_id, participant[1]))


@api_route(
    bp,
    "/me/enrolments",
    "GET",
    "Mes inscriptions aux formations, chacune avec sa session (paramètres limit, cursor)",
    roles=PARTICIPANTS,
    many=True,
    query=PageQuery,
    response=ParticipantEnrolmentOut,
    tag=TAG,
)
def my_enrolments(query):
    with services() as rpc:
        return page_response(rpc.education.list_participant_enrolments(people.participant()[1], query), query)


# --- attendance and certificates (staff) -------------------------------------------------------------
@api_route(
    bp,
    "/sessions/<session_id>/attendance",
    "POST",
    "Émarger une demi-journée : présent, absent, ou présent avec signature refusée et son motif "
    "(half_day « morning » ou « afternoon », inutile pour une partie d'une seule demi-journée ; "
    "participant_id « trainer » pour le formateur)",
    roles=("trainer",),
    body=AttendanceIn,
    response=AttendanceOut,
    tag=TAG,
)
def record_attendance(session_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.education.record_attendance(session_id, data))


@api_route(
    bp,
    "/sessions/<session_id>/attendance",
    "GET",
    "La feuille d'émargement : chaque participant par demi-journée (présence, signature), ses heures, son assiduité",
    roles=("trainer",),
    response=SheetOut,
    tag=TAG,
)
def attendance_sheet(session_id):
    with services() as rpc:
        return jsonify(rpc.education.attendance_sheet(session_id))


@api_route(
    bp,
    "/sessions/<session_id>/certificates/<participant_id>",
    "POST",
    "Délivrer l'attestation et le certificat de réalisation d'un participant ayant suivi des heures "
    "(ses heures réelles, la mention d'assiduité selon le seuil ; 409 sans aucune heure ; une seconde "
    "demande donne les mêmes numéros)",
    roles=("trainer",),
    response=CertificateOut,
    status=201,
    tag=TAG,
)
def issue_certificate(session_id, participant_id):
    with services() as rpc:
        return created(rpc.education.issue_certificate(session_id, participant_id))


@api_route(
    bp,
    "/sessions/<session_id>/attendance.pdf",
    "GET",
    "La feuille d'émargement (PDF : par personne et par demi-journée, sa signature, « absent » ou le refus "
    "de signer et son motif, sinon une case à signer)",
    roles=("trainer",),
    tag=TAG,
    content_type="application/pdf",
)
def attendance_sheet_pdf(session_id):
    with services() as rpc:
        sheet = rpc.education.attendance_sheet(session_id)
        signed = rpc.education.sheet_signatures(session_id)
    return downloads.pdf(
        training_documents.attendance_sheet_pdf(sheet, _organisation(), signed),
        training_documents.sheet_filename(session_id),
    )


@api_route(
    bp,
    "/sessions/<session_id>/certificates/<participant_id>.pdf",
    "GET",
    "L'attestation de fin de formation et le certificat de réalisation (PDF ; l'équipe les délivre "
    "au premier téléchargement, le participant télécharge les siens une fois délivrés)",
    roles=EVERYONE,
    tag=TAG,
    content_type="application/pdf",
)
def certificate_pdf(session_id, participant_id):
    participant = _participant()
    with services() as rpc:
        if participant is None:
            certificate = rpc.education.issue_certificate(session_id, participant_id)
        else:
            certificate = _own_certificate(rpc, participant[1], session_id, participant_id)
    number = certificate["attestation_number"]
    return downloads.pdf(
        training_documents.certificate_pdf(certificate, _organisation()),
        training_documents.certificate_filename(number),
    )


def _own_certificate(rpc, own_id, session_id, participant_id):
    mine = [] if participant_id != own_id else rpc.education.participant_certificates(own_id)
    for certificate in mine:
        if certificate["session_id"] == session_id:
            return certificate
    raise ApiError(404, "not_found", "Aucun certificat délivré à votre nom pour cette session.")


def _organisation():
    return training_documents.organisation_of(current_app.config)
