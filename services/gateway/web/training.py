"""The staff's training pages (continuing education): the courses and a new course, the sessions
and planning one (its room is asked of bookings by events: the session's page shows the answer as
it arrives), a session's enrolments, enrolling someone, cancelling, trying another room, the
attendance sheet on a tablet (one tap per participant per part), its PDF and the certificates.
Views call the same RPCs as the JSON API and hold no rule: a refusal is the education service's
French sentence, shown next to its field."""

import re

from flask import Blueprint, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import account_roles, downloads, training_documents
from services.gateway.models import Account, AccountRole
from services.gateway.service_calls import services
from services.gateway.web import field_errors, form_errors, register_page_hooks, training_reports
from services.gateway.web.guards import requires
from services.gateway.web.staff import _moment, _number, _rooms
from shared.errors import ServiceError

bp = Blueprint("training", __name__, url_prefix="/equipe/formations")
register_page_hooks(bp)

FUNDINGS = ("opco", "cpf", "france_travail", "employer", "self_funded")
PARTICIPANT_KINDS = ("professional", "trainee", "volunteer", "external")
ACCOUNT_KINDS = ("trainee", "volunteer")  # participants who have an account of that role
PARTS_SHOWN = 4  # the plan form's rows (the service takes up to 10)
SHOWN = 200  # sessions, courses and enrolments on one page
PART_SENTENCE = re.compile(r"^Partie (\d+) : (.*)$", re.S)  # the service's sentence about one part
REFRESH_SECONDS = 3  # a planned session's page reloads itself until bookings answers


@bp.before_request
def _part():
    g.service_part = "education"


def FUNDING_LABELS():  # a table, built per request so that it is translated
    return {
        "opco": _("OPCO (opérateur de compétences)"),
        "cpf": _("CPF (compte personnel de formation)"),
        "france_travail": _("France Travail"),
        "employer": _("Employeur"),
        "self_funded": _("Financement personnel"),
    }


def STATUS_LABELS():
    return {
        "planned": _("En attente de la salle"),
        "confirmed": _("Confirmée"),
        "room_refused": _("Salle refusée"),
        "waiting": _("Sans réponse de la salle"),
        "cancelled": _("Annulée"),
    }


def KIND_LABELS():
    return {
        "professional": _("Professionnel·le de la petite enfance"),
        "trainee": _("Stagiaire"),
        "volunteer": _("Bénévole"),
        "external": _("Personne extérieure"),
    }


def ENROLMENT_LABELS():
    return {
        "confirmed": _("Inscrit·e"),
        "waitlisted": _("Liste d'attente"),
        "cancelled": _("Inscription annulée"),
        "retracted": _("Rétractation"),
    }


@bp.app_context_processor
def _labels():
    return {
        "funding_label": lambda key: FUNDING_LABELS().get(key, key),
        "session_status": lambda key: STATUS_LABELS().get(key, key),
        "participant_kind_label": lambda key: KIND_LABELS().get(key, key),
        "enrolment_status": lambda key: ENROLMENT_LABELS().get(key, key),
    }


# --- courses ----------------------------------------------------------------------------------
@bp.get("/cours")
@requires("trainer")
def courses():
    query = {"limit": SHOWN}
    if request.args.get("suite"):
        query["cursor"] = request.args["suite"]
    with services() as rpc:
        found = rpc.education.list_courses(query)
    return render_template(
        "web/staff/training/courses.html", courses=found.get("items", []), next_cursor=found.get("next_cursor")
    )


@bp.route("/cours/nouveau", methods=["GET", "POST"])
@requires("trainer")
def new_course():
    if request.method == "GET":
        return _course_form({}, set(), {}, 200)
    form = request.form
    chosen = [key for key in form.getlist("funding") if key in FUNDINGS]
    data = {
        "title": form.get("title", "").strip(),
        "objectives": form.get("objectives", "").strip(),
        "audience": form.get("audience", "").strip(),
        "prerequisites": form.get("prerequisites", "").strip(),
        "evaluation_method": form.get("evaluation_method", "").strip(),
        "duration_hours": _decimal(form.get("duration_hours")),
        "trainer": form.get("trainer", "").strip(),
        "price": _decimal(form.get("price")),
        "funding": chosen,
        "certification_code": form.get("certification_code", "").strip(),
    }
    try:
        with services() as rpc:
            course = rpc.education.create_course(data)
    except ServiceError as exc:
        return _course_form(form, set(chosen), form_errors(exc), exc.status)
    flash(_("La formation « %(title)s » est créée.", title=course["title"]))
    return redirect(url_for("training.courses"))


def _course_form(form, chosen, errors, status):
    page = render_template(
        "web/staff/training/course_new.html",
        form=form,
        chosen=chosen,
        errors=errors,
        fundings=[(key, FUNDING_LABELS()[key]) for key in FUNDINGS],
    )
    return page, status


def _decimal(text):
    """ "120,50" -> "120.50" (people type a comma); the service says when it is not a number."""
    return (text or "").strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")


# --- sessions ---------------------------------------------------------------------------------
@bp.get("/")
@requires("trainer")
def sessions():
    status = request.args.get("etat", "")
    query = {"limit": SHOWN}
    if status in STATUS_LABELS():
        query["status"] = status
    if request.args.get("suite"):
        query["cursor"] = request.args["suite"]
    with services() as rpc:
        found = rpc.education.list_sessions(query)
    return render_template(
        "web/staff/training/sessions.html",
        sessions=found.get("items", []),
        next_cursor=found.get("next_cursor"),
        status=status,
        statuses=list(STATUS_LABELS().items()),
    )


@bp.route("/sessions/nouvelle", methods=["GET", "POST"])
@requires("trainer")
def plan_session():
    with services() as rpc:
        courses_found = rpc.education.list_courses({"limit": SHOWN}).get("items", [])
        rooms = _rooms(rpc)
    if request.method == "GET":
        form = {"course_id": request.args.get("cours", ""), "capacity": "12", "min_participants": "4"}
        return _plan_form(courses_found, rooms, form, {}, 200)
    form = request.form
    errors = {}
    parts, rows = _parts(form, errors)
    data = {
        "course_id": form.get("course_id", ""),
        "room_id": form.get("room_id", ""),
        "capacity": _number(form.get("capacity")),
        "min_participants": _number(form.get("min_participants")),
        "parts": parts,
    }
    if errors:
        return _plan_form(courses_found, rooms, form, errors, 422)
    try:
        with services() as rpc:
            planned = rpc.education.plan_session(data)
    except ServiceError as exc:
        return _plan_form(courses_found, rooms, form, _part_errors(exc, rows), exc.status)
    flash(_("La session est planifiée : la salle est demandée, la réponse s'affiche ci-dessous."))
    return redirect(url_for("training.session", session_id=planned["id"]))


def _plan_form(courses_found, rooms, form, errors, status):
    page = render_template(
        "web/staff/training/session_new.html",
        courses=courses_found,
        rooms=rooms,
        form=form,
        errors=errors,
        rows=range(1, PARTS_SHOWN + 1),
    )
    return page, status


def _parts(form, errors):
    """[{starts_at, ends_at}] from the rows partN_day / partN_start / partN_end a person filled
    (a row left blank is skipped), and the row each part came from; errors next to the fields."""
    parts, rows = [], []
    for n in range(1, PARTS_SHOWN + 1):
        day, start, end = (form.get(f"part{n}_{name}", "").strip() for name in ("day", "start", "end"))
        if not (day or start or end):
            continue
        if not day or _moment(day, "00:00") is None:
            errors[f"part{n}_day"] = [_("Indiquez le jour de la partie %(n)s, par exemple 01/12/2026.", n=n)]
            continue
        starts, ends = _moment(day, start), _moment(day, end)
        if starts is None:
            errors[f"part{n}_start"] = [_("Indiquez l'heure de début de la partie %(n)s, par exemple 09:00.", n=n)]
        if ends is None:
            errors[f"part{n}_end"] = [_("Indiquez l'heure de fin de la partie %(n)s, par exemple 12:30.", n=n)]
        if starts and ends:
            parts.append({"starts_at": starts.isoformat(), "ends_at": ends.isoformat()})
            rows.append(n)
    if not parts and not errors:
        errors["part1_day"] = [_("Indiquez au moins une partie : son jour, son heure de début et de fin.")]
    return parts, rows


def _part_errors(exc, rows):
    """The service's errors with the parts' ones next to their row: parts.0.starts_at -> part1_start."""
    fields = dict(getattr(exc, "fields", None) or {})
    parts = fields.pop("parts", None)
    errors = field_errors(type(exc)(exc.message, fields)) if fields else {}
    renamed = {"starts_at": "start", "ends_at": "end", "_schema": "day"}
    if isinstance(parts, dict):
        for index, messages in parts.items():
            row = rows[int(index)] if str(index).isdecimal() and int(index) < len(rows) else 1
            if isinstance(messages, dict):
                for name, sentences in messages.items():
                    key = f"part{row}_{renamed.get(name, 'day')}"
                    errors.setdefault(key, []).extend(sentences if isinstance(sentences, list) else [sentences])
            else:
                errors.setdefault(f"part{row}_day", []).extend(messages if isinstance(messages, list) else [messages])
    elif parts:
        for sentence in parts if isinstance(parts, list) else [parts]:
            key, sentence = _row_of(sentence, rows)
            errors.setdefault(key, []).append(sentence)
    return errors or {"_schema": [exc.message]}


def _row_of(sentence, rows):
    """ "Partie 2 : …" counts the parts sent; the form's row may be another (a blank row is skipped):
    the sentence goes next to that row's day, with the row's number."""
    found = PART_SENTENCE.match(sentence)
    if found and 0 < int(found.group(1)) <= len(rows):
        row = rows[int(found.group(1)) - 1]
        return f"part{row}_day", _("Partie %(n)s : %(problem)s", n=row, problem=found.group(2))
    return "part1_day", sentence


@bp.get("/sessions/<session_id>")
@requires("trainer")
def session(session_id, form=None, errors=None, status=200):
    with services() as rpc:
        found = rpc.education.get_session(session_id)
        course = rpc.education.get_course(found["course_id"])
        enrolments = rpc.education.list_enrolments(session_id, {"limit": SHOWN}).get("items", [])
        rooms = _rooms(rpc)  # the room asked for is named, and another one may be picked
        after = training_reports.followup(rpc, found)  # the funders' invoices, the questionnaire
    errors = errors or {}
    page = render_template(
        "web/staff/training/session.html",
        session=found,
        course=course,
        confirmed=[e for e in enrolments if e["status"] == "confirmed"],
        waiting=sorted((e for e in enrolments if e["status"] == "waitlisted"), key=lambda e: e.get("position") or 0),
        rooms=rooms,
        accounts=_accounts(),
        fundings=[(key, FUNDING_LABELS().get(key, key)) for key in course.get("funding") or FUNDINGS],
        kinds=[(key, KIND_LABELS()[key]) for key in PARTICIPANT_KINDS],
        form=form or {},
        errors=errors,
        refresh=REFRESH_SECONDS if found["status"] == "planned" else None,
        **after,
    )
    return page, status


@bp.get("/sessions/<session_id>/etat")
@requires("trainer")
def session_status(session_id):
    """The session's state alone, for its page's script that waits for the room's answer."""
    with services() as rpc:
        found = rpc.education.get_session(session_id)
    return jsonify({"status": found["status"]})


def _accounts():
    """{role: [(account id, "First Last")]} of the trainees' and volunteers' accounts, by name."""
    found = {role: [] for role in ACCOUNT_KINDS}
    query = (
        AccountRole.select(AccountRole, Account)
        .join(Account)
        .where(AccountRole.role.in_(ACCOUNT_KINDS), AccountRole.subject_id.is_null(False))
    )
    for row in query.order_by(Account.last_name, Account.first_name, Account.email):  # every account holding the role
        found[row.role].append((row.account.id, row.account.display_name))
    return found


@bp.post("/sessions/<session_id>/salle")
@requires("trainer")
def retry_room(session_id):
    room_id = request.form.get("room_id", "")
    try:
        with services() as rpc:
            rpc.education.retry_room(session_id, {"room_id": room_id} if room_id else {})
    except ServiceError as exc:
        return session(
            session_id,
            form=request.form,
            errors={"room_id": form_errors(exc).get("room_id") or [exc.message]},
            status=exc.status,
        )
    flash(_("La salle est demandée à nouveau : la réponse s'affiche ci-dessous."))
    return redirect(url_for("training.session", session_id=session_id))


@bp.post("/sessions/<session_id>/annulation")
@requires("trainer")
def cancel_session(session_id):
    reason = request.form.get("reason", "").strip()
    if not reason:
        errors = {"reason": [_("Indiquez le motif de l'annulation : il est dit aux inscrits.")]}
        return session(session_id, form=request.form, errors=errors, status=422)
    try:
        with services() as rpc:
            cancelled = rpc.education.cancel_session(session_id, {"reason": reason})
    except ServiceError as exc:
        errors = form_errors(exc)
        return session(session_id, form=request.form, errors={"reason": sum(errors.values(), [])}, status=exc.status)
    flash(_("La session « %(title)s » est annulée ; la salle est libérée.", title=cancelled["title"]))
    return redirect(url_for("training.session", session_id=session_id))


@bp.post("/sessions/<session_id>/inscriptions")
@requires("trainer")
def enrol(session_id):
    form = request.form
    kind = form.get("participant_kind", "")
    data = {"participant_kind": kind, "funding": form.get("funding", "")}
    if form.get("employer_name", "").strip():
        data["employer_name"] = form["employer_name"].strip()
    errors = {}
    if kind in ACCOUNT_KINDS:
        account = Account.get_or_none(Account.id == form.get("account_id") or None)
        if account_roles.subject_for(account, kind) is None:
            errors["account_id"] = [
                _("Choisissez le compte du ou de la stagiaire.")
                if kind == "trainee"
                else _("Choisissez le compte du ou de la bénévole.")
            ]
        else:
            data.update(
                participant_id=account_roles.subject_for(account, kind), name=account.display_name, email=account.email
            )
    else:
        data.update(name=form.get("name", "").strip(), email=form.get("email", "").strip())
    for name in ("funder_name", "agreement_number"):  # the convention's funder, when given
        if form.get(name, "").strip():
            data[name] = form[name].strip()
    if errors:
        return session(session_id, form=form, errors=errors, status=422)
    try:
        with services() as rpc:
            enrolment = rpc.education.enrol(session_id, data)
    except ServiceError as exc:
        errors = form_errors(exc)
        if "participant_id" in errors:
            errors["account_id"] = errors.pop("participant_id")
        return session(session_id, form=form, errors=errors, status=exc.status)
    if enrolment["status"] == "waitlisted":
        flash(
            _("%(name)s est sur la liste d'attente (position %(n)s).", name=enrolment["name"], n=enrolment["position"])
        )
    else:
        flash(_("%(name)s est inscrit·e.", name=enrolment["name"]))
    return redirect(url_for("training.session", session_id=session_id, _anchor="inscrits"))


@bp.post("/sessions/<session_id>/inscriptions/<enrolment_id>/annulation")
@requires("trainer")
def cancel_enrolment(session_id, enrolment_id):
    try:
        with services() as rpc:
            cancelled = rpc.education.cancel_enrolment(enrolment_id)
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash(_("L'inscription de %(name)s est annulée.", name=cancelled["name"]))
    return redirect(url_for("training.session", session_id=session_id, _anchor="inscrits"))


# --- the attendance sheet (émargement) and the certificates --------------------------------------
@bp.get("/sessions/<session_id>/emargement")
@requires("trainer")
def attendance(session_id):
    with services() as rpc:
        sheet = rpc.education.attendance_sheet(session_id)
    return render_template("web/staff/training/attendance.html", sheet=sheet, error=request.args.get("erreur"))


@bp.get("/sessions/<session_id>/emargement.pdf")
@requires("trainer")
def attendance_pdf(session_id):
    with services() as rpc:
        sheet = rpc.education.attendance_sheet(session_id)
        signed = rpc.education.sheet_signatures(session_id)
    return downloads.pdf(
        training_documents.attendance_sheet_pdf(sheet, _organisation(), signed),
        training_documents.sheet_filename(session_id),
    )


@bp.post("/sessions/<session_id>/certificats/<participant_id>")
@requires("trainer")
def issue_certificate(session_id, participant_id):
    try:
        with services() as rpc:
            certificate = rpc.education.issue_certificate(session_id, participant_id)
    except ServiceError as exc:
        return redirect(url_for("training.attendance", session_id=session_id, erreur=exc.message))
    flash(
        _(
            "Certificat de %(name)s délivré : attestation %(attestation)s, certificat de réalisation %(realisation)s.",
            name=certificate["name"],
            attestation=certificate["attestation_number"],
            realisation=certificate["realisation_number"],
        )
    )
    return redirect(url_for("training.attendance", session_id=session_id, _anchor="ligne-" + participant_id))


@bp.get("/sessions/<session_id>/certificats/<participant_id>.pdf")
@requires("trainer")
def certificate_pdf(session_id, participant_id):
    with services() as rpc:
        found = rpc.education.participant_certificates(participant_id)
    certificate = next((c for c in found if c["session_id"] == session_id), None)
    if certificate is None:
        message = _("Ce certificat n'est pas encore délivré : délivrez-le depuis la feuille d'émargement.")
        return render_template("web/error.html", title=_("Certificat indisponible"), message=message), 404
    return certificate_response(certificate)


def certificate_response(certificate):
    number = certificate["attestation_number"]
    return downloads.pdf(
        training_documents.certificate_pdf(certificate, _organisation()),
        training_documents.certificate_filename(number),
    )


@bp.errorhandler(ServiceError)
def _refused(exc):
    """A refusal no form shows (an unknown session or course): a page with the service's sentence."""
    return render_template("web/error.html", title=_("Demande impossible"), message=exc.message), exc.status


def _organisation():
    return training_documents.organisation_of(current_app.config)
