"""The yearly «Attestation de frais de garde» (A4, in French), drawn with ReportLab like the invoice
(services/gateway/invoice.py): what a family PAID in the year for each child under six on 1 January,
for the tax credit on childcare expenses (code général des impôts, art. 200 quater B).

Presentation only: the sums come from the bookings service's certificate
(services/bookings/domain/tax_certificate.py: sums paid in the year, rejected payments left out,
per child under six on 1 January), given here as a dict:

    {"year": 2026, "total": "793.86",
     "children": [{"first_name": "Lou", "birth_date": "2023-04-12", "paid": "793.86"}],
     "complete": false, "paid_until": "2026-12-07"}   # optional: a year not over, counted to that day


the family as {"name": "Anne et Marc Brun", "address": "12 rue des Lilas\\n75011 Paris"}, the venue
as training_documents.Organisation (its address, town, representative, SIRET: the COCOON_ORGANISATION_*
settings), and the day it is issued. Drawn with invariant=1: the same inputs give the same bytes
(no creation date nor random id in the file), so a certificate downloaded twice is identical.
"""

from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from services.gateway import invoice
from services.gateway.training_documents import Organisation, long_day

NOTES = (
    "Sommes effectivement payées par la famille du 1er janvier au {last_day}, et non "
    "sommes facturées : une facture payée l'année suivante compte pour l'année de son paiement ; "
    "un paiement rejeté (prélèvement impayé, chèque refusé) n'y figure pas.",
    "La participation familiale suit le barème national de la CNAF (prestation de service unique) : "
    "l'aide de la CAF est versée directement à l'établissement, les montants ci-dessus en sont donc "
    "déjà déduits. Les repas et les couches sont compris dans le tarif horaire : aucun frais de "
    "nourriture n'est facturé à part.",
    "À déclarer, pour chaque enfant, dans la rubrique « Frais de garde des enfants de moins de 6 ans » "
    "de la déclaration de revenus (crédit d'impôt, article 200 quater B du code général des impôts : "
    "enfants âgés de moins de six ans au 1er janvier {year}).",
)


PROVISIONAL = (
    "Attestation provisoire : l'année {year} n'est pas terminée, elle compte les sommes payées jusqu'au "
    "{last_day}. L'attestation à joindre à la déclaration de revenus se télécharge à partir du 1er janvier."
)


def _last_day(certificate):
    """« 31 décembre 2026 », or the day a year not over is counted to (`paid_until`)."""
    if certificate.get("complete", True) or not certificate.get("paid_until"):
        return f"31 décembre {certificate['year']}"
    day = date.fromisoformat(str(certificate["paid_until"]))
    return f"{invoice.day_name(day).split(' ', 1)[1]} {day.year}"


def filename(year):
    """attestation-frais-de-garde-2026.pdf"""
    return f"attestation-frais-de-garde-{year}.pdf"


def title(year):
    return f"Attestation de frais de garde — année {year}"


def render(certificate, family, organisation=None, issued_on=None):
    """The certificate's PDF (bytes). `issued_on`: a date (the day it is drawn when None is not wanted:
    give it, so the same inputs always give the same file)."""
    organisation = organisation or Organisation()
    year = certificate["year"]
    buffer = BytesIO()
    heading = title(year)
    doc = invoice.document(buffer, heading, subject=f"{heading} — {family.get('name', '')}", invariant=1)
    story = [*_letterhead(organisation), Spacer(1, 4 * mm), *_addressee(family), Spacer(1, 6 * mm)]
    story.append(_p(heading, invoice._TITLE))
    if not certificate.get("complete", True):
        story.append(_p(PROVISIONAL.format(last_day=_last_day(certificate), year=year), invoice._TEXT))
    story.append(_p(_statement(certificate, family, organisation)))
    story += [Spacer(1, 4 * mm), _children_table(certificate), Spacer(1, 6 * mm)]
    story += [_p(note.format(year=year, last_day=_last_day(certificate)), invoice._SMALL) for note in NOTES]
    story += [Spacer(1, 8 * mm), *_signature(organisation, issued_on)]
    doc.build(story, onFirstPage=invoice._footer, onLaterPages=invoice._footer)
    return buffer.getvalue()


def _p(text, style=None):
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style or invoice._TEXT)


def _letterhead(organisation):
    lines = [_p(invoice.VENUE, invoice._VENUE), _p("Établissement d'accueil du jeune enfant", invoice._SMALL)]
    if organisation.address:
        lines.append(_p(organisation.address, invoice._SMALL))
    if organisation.siret:
        lines.append(_p(f"SIRET : {organisation.siret}", invoice._SMALL))
    return lines


def _addressee(family):
    lines = [_p(family.get("name") or "")]
    if family.get("address"):
        lines.append(_p(family["address"]))
    return lines


def _statement(certificate, family, organisation):
    who = organisation.representative or "La direction de l'établissement"
    return (
        f"{who} certifie que la famille {family.get('name') or ''} a payé à {invoice.VENUE}, pour la garde "
        f"de ses enfants âgés de moins de six ans au 1er janvier {certificate['year']}, les sommes suivantes :"
    )


def _children_table(certificate):
    year = certificate["year"]
    header = [
        Paragraph("Enfant", invoice._HEAD),
        Paragraph("Né·e le", invoice._HEAD),
        Paragraph(f"Sommes payées en {year}", invoice._HEAD_NUMBER),
    ]
    rows = [header]
    for child in certificate.get("children") or []:
        rows.append(
            [
                _p(child["first_name"], invoice._CELL),
                _p(long_day(child["birth_date"]), invoice._CELL),
                Paragraph(invoice.money(child["paid"]), invoice._NUMBER),
            ]
        )
    if len(rows) == 1:
        rows.append([_p(f"Aucun enfant de moins de six ans au 1er janvier {year}.", invoice._CELL), _p(""), _p("")])
    total = Paragraph(invoice.money(certificate["total"]), invoice._HEAD_NUMBER)
    rows.append([Paragraph("Total", invoice._HEAD), _p(""), total])  # no bare string: it would bring Helvetica
    table = Table(rows, colWidths=[60 * mm, 64 * mm, 50 * mm], repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), invoice._SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -2), 0.3, invoice._GRID),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
        ("BACKGROUND", (0, -1), (-1, -1), invoice._SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    table.setStyle(TableStyle(style))
    return table


def _signature(organisation, issued_on):
    place = f"Fait à {organisation.town}" if organisation.town else "Fait"
    when = f", le {long_day(issued_on)}" if issued_on else ""
    signer = organisation.representative or "la direction de l'établissement"
    return [
        _p(place + when + "."),
        _p(f"Pour {invoice.VENUE}, {signer} — signature et cachet de l'établissement."),
    ]
