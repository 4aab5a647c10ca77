"""Signing the attendance sheet per half-day (education service; docs/education-rules.md).

- Staff, on the trainer's tablet: a half-day's page lists its participants and the trainer; a
  tap on a name opens the signature pad (a canvas, static/signature-pad.js) where that person
  signs with their finger; staff may instead record « absent » or « présent, signature refusée »
  with its reason. The page also shows the half-day's QR code.
- A trainee or a volunteer scans the QR code: the page opens on their own phone, signed in, and
  they sign there, only while the half-day runs (the education service's rule, its sentence
  shown otherwise); a code this gateway did not sign is refused.

Views hold no rule: every refusal is the education service's sentence."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import half_day_codes, people
from services.gateway.service_calls import services
from services.gateway.web import form_errors, register_page_hooks
from services.gateway.web.guards import requires
from shared.errors import ServiceError

bp = Blueprint("half_day_signatures", __name__)
register_page_hooks(bp)

STAFF_PAGE = "/equipe/formations/sessions/<session_id>/demi-journees/<part_index>/<half_day>"
PARTICIPANTS = ("trainee", "volunteer")
TRAINER = "trainer"


@bp.before_request
def _part():
    g.service_part = "education"


def HALF_DAY_LABELS():
    return {"morning": _("matin"), "afternoon": _("après-midi")}


def METHOD_LABELS():
    return {"tablet": _("sur la tablette"), "phone": _("sur son téléphone")}


@bp.app_context_processor
def _labels():
    return {
        "half_day_label": lambda key: HALF_DAY_LABELS().get(key, key),
        "signature_method": lambda key: METHOD_LABELS().get(key, key or ""),
    }


# --- staff: the half-day's page, the tablet's pad, absent or refused ------------------------------
@bp.get(STAFF_PAGE)
@requires("trainer")
def half_day_page(session_id, part_index, half_day, errors=None, form=None, status=200):
    with services() as rpc:
        sheet = rpc.education.attendance_sheet(session_id)
    position = _position(sheet, _index(part_index), half_day)
    if position is None:
        message = _("Cette session n'a pas cette demi-journée.")
        return render_template("web/error.html", title=_("Demi-journée introuvable"), message=message), 404
    unit = sheet["half_days"][position]
    people = [(r["participant_id"], r["name"], r["participant_kind"], r["marks"][position]) for r in sheet["rows"]]
    people.append((TRAINER, sheet["session"]["trainer"], TRAINER, sheet["trainer"][position]))
    url = half_day_codes.signing_url(session_id, unit["part_index"], half_day)
    page = render_template(
        "web/staff/training/half_day.html",
        sheet=sheet,
        session=sheet["session"],
        unit=unit,
        people=people,
        qr=half_day_codes.qr_svg(url, _("QR code d'émargement de cette demi-journée")),
        qr_url=url,
        errors=errors or {},
        form=form or {},
    )
    return page, status


def _index(text):
    """A part's index from the address ("0", "1"…; anything else matches no part)."""
    return int(text) if str(text).isdecimal() else -1


def _position(sheet, part_index, half_day):
    for position, unit in enumerate(sheet.get("half_days") or []):
        if unit["part_index"] == part_index and unit["half_day"] == half_day:
            return position
    return None


@bp.post(STAFF_PAGE + "/presence")
@requires("trainer")
def record(session_id, part_index, half_day):
    """« absent » or « présent, signature refusée » (with its reason) for one person."""
    form = request.form
    participant_id, name = form.get("participant_id", ""), form.get("name", "")
    refused = form.get("state") == "refused"
    reason = form.get("refusal_reason", "").strip()
    if refused and not reason:
        errors = {f"motif-{participant_id}": [_("Indiquez pourquoi %(name)s refuse de signer.", name=name)]}
        return half_day_page(session_id, part_index, half_day, errors=errors, form=form, status=422)
    data = {
        "part_index": _index(part_index),
        "half_day": half_day,
        "participant_id": participant_id,
        "present": refused,
        "refusal_reason": reason if refused else "",
    }
    try:
        with services() as rpc:
            rpc.education.record_attendance(session_id, data)
    except ServiceError as exc:
        errors = {f"motif-{participant_id}": sum(form_errors(exc).values(), []) or [exc.message]}
        return half_day_page(session_id, part_index, half_day, errors=errors, form=form, status=exc.status)
    if refused:
        flash(_("%(name)s : présent·e, signature refusée.", name=name))
    else:
        flash(_("%(name)s : absent·e.", name=name))
    return redirect(url_for(".half_day_page", session_id=session_id, part_index=part_index, half_day=half_day))


@bp.route(STAFF_PAGE + "/signer/<participant_id>", methods=["GET", "POST"])
@requires("trainer")
def tablet(session_id, part_index, half_day, participant_id):
    asked = {
        "part_index": _index(part_index),
        "half_day": half_day,
        "participant_id": participant_id,
        "method": "tablet",
    }
    back = url_for(".half_day_page", session_id=session_id, part_index=part_index, half_day=half_day)
    return _pad(session_id, asked, back, back)


# --- a participant's phone ------------------------------------------------------------------------
@bp.route("/emargement/<token>", methods=["GET", "POST"])
@requires(*PARTICIPANTS, with_profile=True)
def phone(token):
    found = half_day_codes.read(token)
    if found is None:
        message = _("Ce QR code n'est pas valable : demandez au formateur ou à la formatrice de l'afficher à nouveau.")
        return render_template("web/error.html", title=_("QR code non valable"), message=message), 404
    session_id, part_index, half = found
    asked = {"part_index": part_index, "half_day": half, "participant_id": people.participant()[1], "method": "phone"}
    return _pad(session_id, asked, None, url_for("training_public.home"))


def _pad(session_id, asked, back, done):
    """The signature pad for `asked` (SignatureIn without the image): the page, or the signature
    sent; the service's refusal (outside the half-day, already signed…) on a page of its own."""
    try:
        with services() as rpc:
            signing = rpc.education.signing(session_id, asked)
    except ServiceError as exc:
        return render_template("web/error.html", title=_("Signature impossible"), message=exc.message), exc.status
    errors = {}
    if request.method == "POST":
        image = request.form.get("image", "")
        if not image:
            errors = {"signature": [_("Signez dans le cadre avant de valider.")]}
        else:
            try:
                with services() as rpc:
                    rpc.education.sign_attendance(session_id, {**asked, "image": image})
            except ServiceError as exc:
                errors = {"signature": sum(form_errors(exc).values(), []) or [exc.message]}
            else:
                if asked["method"] == "phone":
                    return render_template("web/training/signed.html", signing=signing)
                flash(_("Merci, %(name)s : la signature est enregistrée.", name=signing["name"]))
                return redirect(done)
    page = render_template("web/training/sign.html", signing=signing, errors=errors, back=back)
    return page, 422 if errors else 200
