"""A learner's contrat de formation and a funder's convention de formation, as PDFs (A4, in
French), from the education service's `get_enrolment` answer (EnrolmentDetailOut: the enrolment,
its session and course). Presentation only, same page and fonts as training_documents.py.

The contract carries, « à peine de nullité », the mentions of Code du travail L6353-4: the
nature, duration, programme and object of the action and the numbers it concerns (1°); the prior
level required (2°); the conditions it is given in, the teaching means and how knowledge is
checked (3°); who trains (4°); the payment terms and what is due on an early end or abandonment
(5°, with L6353-7's force majeure); and the rights of L6353-5 and -6 (10 days to withdraw,
nothing before, at most 30 % after). The organisation's identity and numéro de déclaration
d'activité head it (the COCOON_ORGANISATION_* settings). The convention names the funder and its
agreement number [practice] (docs/education-rules.md, "Learners' contracts").
"""

from decimal import ROUND_DOWN, Decimal
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from services.gateway import invoice
from services.gateway.training_documents import (
    Organisation,
    _facts_table,
    _letterhead,
    long_day,
    times,
)
from shared import timeutil

SHARE = Decimal("0.30")  # L6353-6, as domain/contracts.py (the service decides; the document says)
FUNDERS = {"opco": "OPCO", "employer": "Employeur", "france_travail": "France Travail"}
_ARTICLE = invoice._TITLE.clone("article", fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=2)


def contract_filename(enrolment_id):
    return f"contrat-formation-{enrolment_id}.pdf"


def convention_filename(enrolment_id):
    return f"convention-formation-{enrolment_id}.pdf"


def _p(text, style=None):
    return Paragraph(escape(text or ""), style or invoice._TEXT)


def _article(title, *lines):
    return [Paragraph(escape(title), _ARTICLE), *[_p(line) for line in lines if line]]


def _parts(session):
    return [f"{long_day(part['starts_at'])}, {times(part)}" for part in session.get("parts") or []]


def _price(enrolment, course):
    return Decimal(str(enrolment.get("contract_price") or course.get("price") or 0))


def price_and_share(enrolment):
    """(the agreed price, 30 % of it rounded down to the cent) of an EnrolmentDetailOut."""
    price = _price(enrolment, enrolment.get("course") or {})
    return price, (price * SHARE).quantize(Decimal("0.01"), ROUND_DOWN)


def _sanction(course):
    code = course.get("certification_code")
    prepared = f" ; elle prépare à la certification enregistrée {code} (France compétences)" if code else ""
    return (
        f"Sanction : attestation de fin de formation et certificat de réalisation, au vu des heures suivies{prepared}."
    )


def _accepted_line(enrolment):
    accepted_at = enrolment.get("contract_accepted_at")
    if not accepted_at:
        return "Contrat à accepter en ligne par le ou la stagiaire avant la formation."
    moment = timeutil.in_venue_zone(accepted_at)
    by = (
        f"par {enrolment.get('name', '')}"
        if enrolment.get("contract_accepted_by") != "staff"
        else f"par l'équipe de {invoice.VENUE} pour le compte de {enrolment.get('name', '')}, sur son accord écrit"
    )
    return f"Contrat accepté en ligne le {long_day(accepted_at)} à {invoice.clock(moment)} {by}."


# --- the contrat de formation ----------------------------------------------------------------------
def contract_pdf(enrolment, organisation=None):
    """The contrat de formation (bytes) of a self-funded learner's enrolment."""
    organisation = organisation or Organisation()
    session, course = enrolment.get("session") or {}, enrolment.get("course") or {}
    price, share = price_and_share(enrolment)
    last_day = enrolment.get("withdrawal_last_day")
    buffer = BytesIO()
    heading = "Contrat de formation professionnelle"
    doc = invoice.document(buffer, heading, subject=f"{heading} — {enrolment.get('name', '')}")
    representative = f", représenté par {organisation.representative}" if organisation.representative else ""
    declared = (
        f", déclaration d'activité enregistrée sous le n° {organisation.declaration_number} auprès du préfet de "
        "région (cet enregistrement ne vaut pas agrément de l'État)"
        if organisation.declaration_number
        else ", déclaration d'activité n° …………………… (à compléter)"
    )
    story = [
        *_letterhead(organisation),
        _p(heading, invoice._TITLE),
        _p("Code du travail, art. L6353-3 à L6353-7", invoice._SMALL),
        Spacer(1, 3 * mm),
        _p(f"Entre {invoice.VENUE}, organisme de formation{_address(organisation)}{declared}{representative},"),
        _p(
            f"et {enrolment.get('name', '')}"
            f"{' (' + enrolment['email'] + ')' if enrolment.get('email') else ''}, ci-après « le ou la stagiaire », "
            "qui entreprend cette formation à titre individuel et à ses frais."
        ),
        *_article(
            "Article 1 — Objet, nature et durée de l'action",
            f"Intitulé : « {course.get('title') or session.get('title', '')} ».",
            "Nature : action de formation (Code du travail, art. L6313-1).",
            f"Objectifs et programme : {course.get('objectives', '')}",
            f"Durée : {invoice.hours(session.get('hours') or course.get('duration_hours') or 0)}, "
            f"en {len(session.get('parts') or [])} partie(s) :",
        ),
        *[_p(f"– {line}") for line in _parts(session)],
        _p(f"Effectif : {session.get('capacity', '')} places au plus."),
        *_article(
            "Article 2 — Public et niveau de connaissances préalables",
            f"Public visé : {course.get('audience', '')}",
            f"Niveau de connaissances préalables requis : {course.get('prerequisites') or 'aucun prérequis.'}",
        ),
        *_article(
            "Article 3 — Conditions de déroulement, moyens et contrôle des connaissances",
            "La formation a lieu en présentiel"
            f"{', salle « ' + session['room_name'] + ' »' if session.get('room_name') else ''}, "
            f"chez {invoice.VENUE}{_address(organisation)}.",
            "Moyens pédagogiques et techniques : apports du formateur ou de la formatrice, mises en situation, "
            "supports remis aux stagiaires.",
            "Contrôle : présence signée par demi-journée sur la feuille d'émargement ; évaluation des acquis en fin "
            "de formation par le formateur ou la formatrice.",
            _sanction(course),
        ),
        *_article(
            "Article 4 — Formateur ou formatrice",
            f"{course.get('trainer') or session.get('trainer', '')} ; ses diplômes, titres ou références sont "
            "communiqués au ou à la stagiaire sur simple demande.",
        ),
        *_article(
            "Article 5 — Délai de rétractation",
            "À compter de l'acceptation du présent contrat, le ou la stagiaire dispose de dix jours pour se "
            "rétracter, sans frais ni motif (Code du travail, art. L6353-5)"
            + (f" : jusqu'au {long_day(last_day)} à minuit" if last_day else "")
            + ". La rétractation se fait en ligne (« Je me rétracte ») ou par lettre recommandée avec avis de "
            "réception.",
        ),
        *_article(
            "Article 6 — Prix et modalités de paiement",
            f"Prix de la formation : {invoice.money(price)}.",
            "Aucune somme ne peut être exigée avant la fin du délai de rétractation. À son expiration, il ne peut "
            f"être payé plus de 30 % du prix, soit {invoice.money(share)} ; le solde, {invoice.money(price - share)}, "
            "est payé à l'issue de la formation (Code du travail, art. L6353-6).",
        ),
        *_article(
            "Article 7 — Cessation anticipée ou abandon",
            "Si, par suite de force majeure dûment reconnue, le ou la stagiaire est empêché·e de suivre la "
            "formation, il ou elle peut rompre le contrat : seules les prestations effectivement dispensées sont "
            "dues, au prorata de leur valeur prévue au contrat (Code du travail, art. L6353-7). En cas d'abandon "
            "pour un autre motif, les heures suivies restent dues au même prorata.",
        ),
        Spacer(1, 5 * mm),
        _p(_accepted_line(enrolment), invoice._HEAD),
        _p(f"Référence de l'inscription : {enrolment.get('id', '')}", invoice._SMALL),
        Spacer(1, 4 * mm),
        _p(f"Pour {invoice.VENUE}{', ' + organisation.representative if organisation.representative else ''} :"),
    ]
    doc.build(story, onFirstPage=invoice._footer, onLaterPages=invoice._footer)
    return buffer.getvalue()


def _address(organisation):
    return f", {organisation.address}" if organisation.address else ""


def _declared(organisation):
    number = organisation.declaration_number
    return f" (déclaration d'activité n° {number})" if number else ""


# --- the convention de formation -------------------------------------------------------------------
def convention_pdf(enrolment, organisation=None):
    """The convention de formation (bytes) between the organisation and the funder of an enrolment
    (employer, OPCO, France Travail)."""
    organisation = organisation or Organisation()
    session, course = enrolment.get("session") or {}, enrolment.get("course") or {}
    funder = enrolment.get("funder_name") or "…………………………………… (à compléter)"
    kind = FUNDERS.get(enrolment.get("funding"), enrolment.get("funding", ""))
    buffer = BytesIO()
    heading = "Convention de formation professionnelle"
    doc = invoice.document(buffer, heading, subject=f"{heading} — {enrolment.get('name', '')}")
    facts = [
        ("Financeur", f"{funder} ({kind})"),
        ("N° d'accord ou de prise en charge", enrolment.get("agreement_number") or "…………………… (à compléter)"),
        ("Participant·e", enrolment.get("name", "")),
        ("Intitulé", course.get("title") or session.get("title", "")),
        ("Nature", "action de formation (Code du travail, art. L6313-1)"),
        ("Objectifs et programme", course.get("objectives", "")),
        ("Public et prérequis", f"{course.get('audience', '')} — {course.get('prerequisites') or 'aucun prérequis'}"),
        ("Formateur ou formatrice", course.get("trainer") or session.get("trainer", "")),
        ("Dates et horaires", " ; ".join(_parts(session))),
        ("Durée", invoice.hours(session.get("hours") or course.get("duration_hours") or 0)),
        ("Lieu", session.get("room_name") or "à confirmer"),
        ("Prix par participant·e", invoice.money(course.get("price") or 0)),
        ("Sanction", _sanction(course).removeprefix("Sanction : ")),
    ]
    story = [
        *_letterhead(organisation),
        _p(heading, invoice._TITLE),
        _p("Code du travail, art. L6353-1 et L6353-2", invoice._SMALL),
        Spacer(1, 3 * mm),
        _p(
            f"Entre {invoice.VENUE}, organisme de formation{_declared(organisation)}, et {funder}, qui finance la "
            "formation de la personne ci-dessous."
        ),
        Spacer(1, 3 * mm),
        _facts_table(facts),
        Spacer(1, 3 * mm),
        _p(
            "La formation est facturée au financeur à son issue, pour les heures réellement suivies, au vu du "
            "certificat de réalisation et des feuilles d'émargement signées par demi-journée.",
        ),
        _p(f"Référence de l'inscription : {enrolment.get('id', '')}", invoice._SMALL),
        Spacer(1, 8 * mm),
        _p(f"Pour {invoice.VENUE}{', ' + organisation.representative if organisation.representative else ''} :"),
        Spacer(1, 12 * mm),
        _p(f"Pour {funder} (nom, qualité, signature et cachet) :"),
    ]
    doc.build(story, onFirstPage=invoice._footer, onLaterPages=invoice._footer)
    return buffer.getvalue()
