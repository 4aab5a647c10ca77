"""The convention of a PMSMP immersion as a PDF (A4, in French), drawn with ReportLab.

Presentation only: every fact comes from the placements service's answer (ImmersionOut in
services/placements/schemas.py). The mentions follow the convention's contents as the décret
n° 2023-1304 of 27 December 2023 set them (Code du travail L5135-4, D5135-3 and following;
service-public F14102; docs/placements-rules.md, "Immersions"): the three parties (the
beneficiary, the host structure, the prescriber and its adviser), the object (one of three) and
the operational objectives, the activities, the dates, the schedule and its hours, the tutor, the
absence of pay (an optional gratification), the beneficiary's status and social protection
(accidents du travail and maladies professionnelles covered through the prescriber), the host's
working-time, health and safety rules, the attestation d'honorabilité, then the three
signatures with their dates. Same fonts and writing as the invoice (services/gateway/invoice.py).
"""

from io import BytesIO

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from services.gateway import invoice

# the attestation's paragraph, section title and two-column table: the same layout as the other documents
from services.gateway.attestation import BLANK, TO_FILL, _facts, _p, _section, plain_day
from services.gateway.training_documents import Organisation
from shared.vocabulary import IMMERSION_OBJECT_LABELS, PRESCRIBER_LABELS, WEEKDAYS_FR

TITLE = "Convention de période de mise en situation en milieu professionnel (PMSMP)"
SIGNERS = (
    ("beneficiary", "Le ou la bénéficiaire"),
    ("venue", "La structure d'accueil"),
    ("prescriber", "La structure prescriptrice"),
)
NO_PAY = (
    "La période de mise en situation en milieu professionnel n'est pas rémunérée par la structure "
    "d'accueil (Code du travail, art. L5135-7) : le ou la bénéficiaire conserve son statut, et le cas "
    "échéant sa rémunération ou ses allocations."
)
PROTECTION = (
    "Protection sociale : le ou la bénéficiaire reste couvert·e par son régime. La protection contre "
    "les accidents du travail et les maladies professionnelles est assurée par la structure "
    "prescriptrice ({organisation}), à qui la structure d'accueil déclare tout accident dans les "
    "24 heures (Code de la sécurité sociale, art. L412-8)."
)
RULES = (
    "Le ou la bénéficiaire suit les règles de la structure d'accueil en matière de durée du travail, "
    "d'hygiène, de santé et de sécurité ; il ou elle a accès aux moyens de transport et aux "
    "installations collectives du personnel. La période dure un mois au plus, présence continue ou non."
)
HONORABILITY = (
    "Attestation d'honorabilité : l'accueil de jeunes enfants exige qu'elle soit vérifiée avant "
    "toute présence auprès des enfants (CASF, art. L133-6)."
)


def filename(immersion):
    return f"convention-pmsmp-{immersion.get('id', 'immersion')}.pdf"


def render(immersion, tutor_name="", organisation=None):
    """The PDF (bytes) of an immersion (ImmersionOut as a dict); `organisation`: the venue's
    identity (training_documents.Organisation; a part not set is left to fill in by hand)."""
    organisation = organisation or Organisation()
    buffer = BytesIO()
    name = f"{immersion.get('first_name', '')} {immersion.get('last_name', '')}".strip()
    doc = invoice.document(buffer, TITLE, subject=f"{TITLE} — {name}", invariant=1)
    prescriber = immersion.get("prescriber") or {}
    organisation_label = PRESCRIBER_LABELS.get(prescriber.get("organisation"), prescriber.get("organisation", ""))
    story = [
        _p(invoice.VENUE, invoice._VENUE),
        _p(TITLE, invoice._TITLE),
        _p(
            "Code du travail, articles L5135-1 à L5135-8 et D5135-1 et suivants ; décret n° 2023-1304 "
            "du 27 décembre 2023",
            invoice._SMALL,
        ),
        _section("Le ou la bénéficiaire"),
        _facts(_beneficiary(immersion, name)),
        _section("La structure d'accueil"),
        _facts(_host(organisation, tutor_name)),
        _section("La structure prescriptrice"),
        _facts(_prescriber(prescriber, organisation_label)),
        _section("Objet et objectifs de la période"),
        _facts(_purpose(immersion)),
        _section("Dates et horaires"),
        _facts(_dates(immersion)),
        _section("Conditions"),
        _p(NO_PAY),
        Spacer(1, 2 * mm),
        _p(_gratification(immersion)),
        Spacer(1, 2 * mm),
        _p(PROTECTION.format(organisation=organisation_label or TO_FILL)),
        Spacer(1, 2 * mm),
        _p(RULES),
        Spacer(1, 2 * mm),
        _p(HONORABILITY),
        _section("Signatures"),
        _signatures(immersion.get("signatures") or {}),
    ]
    doc.build(story, onFirstPage=invoice._footer, onLaterPages=invoice._footer)
    return buffer.getvalue()


def _beneficiary(immersion, name):
    born = immersion.get("birth_date")
    return [
        ("Nom et prénom", name),
        ("Né·e le", plain_day(born) if born else TO_FILL),
        ("Adresse électronique", immersion.get("email") or ""),
    ]


def _host(organisation, tutor_name):
    return [
        ("Nom ou dénomination sociale", invoice.VENUE),
        ("Adresse", organisation.address or TO_FILL),
        ("SIRET", organisation.siret or TO_FILL),
        ("Représentée par", organisation.representative or TO_FILL),
        ("Tuteur ou tutrice", tutor_name or TO_FILL),
    ]


def _prescriber(prescriber, label):
    return [
        ("Structure", label or TO_FILL),
        ("Conseiller ou conseillère", prescriber.get("adviser_name") or TO_FILL),
        ("Adresse électronique", prescriber.get("adviser_email") or TO_FILL),
    ]


def _purpose(immersion):
    return [
        ("Objet (un seul)", IMMERSION_OBJECT_LABELS.get(immersion.get("object"), immersion.get("object") or "")),
        ("Objectifs", immersion.get("objectives") or ""),
        ("Activités confiées", immersion.get("activities") or TO_FILL),
    ]


def _dates(immersion):
    starts, ends = immersion.get("starts_on"), immersion.get("ends_on")
    return [
        ("Période", f"du {plain_day(starts)} au {plain_day(ends)}" if starts and ends else ""),
        ("Horaires", schedule_text(immersion.get("schedule") or [])),
        ("Durée prévue", invoice.hours(immersion.get("planned_hours") or 0) + " de présence"),
    ]


def schedule_text(schedule):
    """« lundi 09:00 – 17:00 (pause 60 min) ; mardi … » in weekday order."""
    lines = []
    for slot in sorted(schedule, key=lambda s: (s["weekday"], s["start"])):
        pause = f" (pause {slot['break_minutes']} min)" if slot.get("break_minutes") else ""
        lines.append(f"{WEEKDAYS_FR[slot['weekday']]} {slot['start']} – {slot['end']}{pause}")
    return " ; ".join(lines)


def _gratification(immersion):
    amount = immersion.get("gratification")
    if amount in (None, ""):
        return "Gratification : aucune."
    return f"Gratification versée par la structure d'accueil (facultative) : {invoice.money(amount)}."


def _signatures(signatures):
    rows = [[_p(h, invoice._HEAD) for h in ("Partie", "Nom du ou de la signataire", "Signée le")]]
    for key, label in SIGNERS:
        signed = signatures.get(key) or {}
        day = signed.get("signed_on")
        rows.append(
            [
                _p(label, invoice._CELL),
                _p(signed.get("name") or BLANK, invoice._CELL),
                _p(plain_day(day) if day else BLANK, invoice._CELL),
            ]
        )
    table = Table(rows, colWidths=[56 * mm, 74 * mm, 44 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, invoice._GRID),
                ("BACKGROUND", (0, 0), (-1, 0), invoice._SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table
