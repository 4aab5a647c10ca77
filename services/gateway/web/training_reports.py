"""What follows a training session, on the pages: staff issue the funders' invoices from the
session's page and download them, read the results of its satisfaction questionnaire (and the
personal links to send to the participants without an account), and read the year's bilan
pédagogique et financier (BPF) with its CSV; a participant answers the questionnaire on their
phone, on their own pages (a trainee, a volunteer) or through their personal link (anyone else).

The questionnaire: a trainee or a volunteer answers from /formations/ (their account names
them); a professional or an external person has no account, so staff send them their personal
link (services/gateway/satisfaction_link.py: signed, it names the session and the participant);
no paper answer is typed by staff [practice]. Every decision is the education service's."""

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import bpf_sheet, downloads, funder_invoice_pdf, people, satisfaction_link, training_documents
from services.gateway.service_calls import services
from services.gateway.web import form_errors, register_page_hooks
from services.gateway.web.guards import requires
from shared import timeutil
from shared.errors import ServiceError

bp = Blueprint("training_reports", __name__)
register_page_hooks(bp)
PARTICIPANTS = ("trainee", "volunteer")  # who answer on their own pages
FIRST_YEAR, LAST_YEAR = 2000, 2199
STAFF = "/equipe/formations"


@bp.before_request
def _part():
    g.service_part = "education"


def followup(rpc, session):
    """What the staff's session page shows after the session: its funders' invoices, the
    questionnaire's results and the personal links (a confirmed session only)."""
    if session.get("status") != "confirmed":
        return {"funder_invoices": None, "satisfaction": None, "satisfaction_links": {}}
    invoices = rpc.education.session_funder_invoices(session["id"]).get("invoices", [])
    results = rpc.education.satisfaction_results(session["id"])
    links = {
        person["participant_id"]: satisfaction_link.url_of(session["id"], person["participant_id"])
        for person in results.get("people", [])
        if person.get("participant_kind") not in PARTICIPANTS
    }
    return {"funder_invoices": invoices, "satisfaction": results, "satisfaction_links": links}


# --- funders' invoices (staff) -------------------------------------------------------------------
@bp.post(f"{STAFF}/sessions/<session_id>/factures-financeurs")
@requires("trainer", "accounting")
def issue_funder_invoices(session_id):
    try:
        with services() as rpc:
            issued = rpc.education.issue_funder_invoices(session_id).get("invoices", [])
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        if issued:
            flash(_("Factures des financeurs : %(numbers)s.", numbers=", ".join(i["number"] for i in issued)))
        else:
            flash(_("Aucun financeur à facturer : aucune heure réalisée par un participant financé."))
    return redirect(url_for("training.session", session_id=session_id, _anchor="financeurs"))


@bp.get(f"{STAFF}/factures-financeurs/<invoice_id>.pdf")
@requires("trainer", "accounting")
def funder_invoice_pdf_page(invoice_id):
    with services() as rpc:
        shown = rpc.education.get_funder_invoice(invoice_id)
    return downloads.pdf(
        funder_invoice_pdf.render(shown, training_documents.organisation_of(current_app.config)),
        funder_invoice_pdf.filename(shown),
    )


# --- the BPF (staff) ---------------------------------------------------------------------------------
def _year():
    """The year asked (?annee=), else this year (the venue's)."""
    text = request.args.get("annee", "").strip()
    this_year = timeutil.now_utc().astimezone(timeutil.venue_zone()).year
    year = int(text) if text.isdecimal() else this_year
    return year if FIRST_YEAR <= year <= LAST_YEAR else this_year


@bp.get(f"{STAFF}/bpf")
@requires("trainer")
def bpf():
    year = _year()
    with services() as rpc:
        report = rpc.education.bpf_report(year)
    return render_template("web/staff/training/bpf.html", report=report, year=year)


@bp.get(f"{STAFF}/bpf/<int:year>.csv")
@requires("trainer")
def bpf_csv(year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)
    with services() as rpc:
        report = rpc.education.bpf_report(year)
    return downloads.csv(bpf_sheet.bpf_csv(report), bpf_sheet.filename(year))


# --- the satisfaction questionnaire (participants) ---------------------------------------------------
@bp.route("/formations/sessions/<session_id>/avis", methods=["GET", "POST"])
@requires(*PARTICIPANTS, with_profile=True)
def satisfaction_mine(session_id):
    action = url_for("training_reports.satisfaction_mine", session_id=session_id)
    return _questionnaire(session_id, people.participant()[1], action, "account")


@bp.route("/formations/avis/<session_id>/<participant_id>/<code>", methods=["GET", "POST"])
def satisfaction_by_link(session_id, participant_id, code):
    """Open to anyone holding the link: the code names the participant (no account needed)."""
    if not satisfaction_link.is_valid(session_id, participant_id, code):
        message = _("Ce lien de questionnaire n'est pas valide. Demandez-en un nouveau à l'équipe.")
        return render_template("web/error.html", title=_("Lien invalide"), message=message), 404
    action = url_for(
        "training_reports.satisfaction_by_link", session_id=session_id, participant_id=participant_id, code=code
    )
    return _questionnaire(session_id, participant_id, action, "link")


def _questionnaire(session_id, participant_id, action, via):
    try:
        with services() as rpc:
            form = rpc.education.satisfaction_form(session_id, participant_id)
    except ServiceError as exc:
        return render_template("web/error.html", title=_("Questionnaire indisponible"), message=exc.message), exc.status
    if request.method == "GET" or form["answered"] or not form["open"]:
        return _questionnaire_page(form, action, {}, {}, 200)
    data = {q["key"]: _score(request.form.get(q["key"])) for q in form["questions"] if request.form.get(q["key"])}
    data["comment"] = request.form.get("comment", "").strip()
    try:
        with services() as rpc:
            form = rpc.education.answer_satisfaction(session_id, participant_id, data, via)
    except ServiceError as exc:
        return _questionnaire_page(form, action, request.form, form_errors(exc), exc.status)
    return _questionnaire_page(form, action, {}, {}, 200, thanked=True)


def _score(text):
    """ "3" -> 3; anything else is sent as it is, for the service to refuse next to its question."""
    text = text.strip()
    return int(text) if text.isdecimal() else text


def _questionnaire_page(form, action, sent, errors, status, thanked=False):
    page = render_template(
        "web/training/satisfaction.html", form=form, action=action, sent=sent, errors=errors, thanked=thanked
    )
    return page, status
