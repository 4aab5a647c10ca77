"""Continuing education, what follows a session (education service): the funders' invoices, the
yearly bilan pédagogique et financier (BPF) and the satisfaction questionnaire.

Who sees what: staff issue and download the funders' invoices, read the BPF and the results of a
session's questionnaire; a trainee or a volunteer answers their own questionnaire (the participant
is their account, never the body). A participant without an account answers through the personal
link staff send them (the web page /formations/avis/…, services/gateway/satisfaction_link.py).
"""

from flask import current_app, jsonify

from services.education.schemas import (
    BpfOut,
    SatisfactionFormOut,
    SatisfactionIn,
    SatisfactionOut,
    SessionFunderInvoicesOut,
)
from services.gateway import bpf_sheet, downloads, funder_invoice_pdf, people, training_documents
from services.gateway.api import bp, created, services
from services.gateway.routing import api_route, json_body

TAG = "formations"
PARTICIPANTS = ("trainee", "volunteer")


# --- funders' invoices -----------------------------------------------------------------------------
@api_route(
    bp,
    "/sessions/<session_id>/funder-invoices",
    "POST",
    "Facturer les financeurs d'une session, dès le jour de sa dernière partie : une facture par "
    "financeur (numérotée FF-année-n°), pour les heures réalisées de chaque participant ; les "
    "personnes qui financent elles-mêmes leur formation ne sont pas facturées ici. Une facture émise "
    "ne change plus : un second appel répond les mêmes",
    roles=("trainer", "accounting"),
    response=SessionFunderInvoicesOut,
    status=201,
    tag=TAG,
)
def issue_funder_invoices(session_id):
    with services() as rpc:
        return created(rpc.education.issue_funder_invoices(session_id))


@api_route(
    bp,
    "/sessions/<session_id>/funder-invoices",
    "GET",
    "Les factures des financeurs d'une session (vide tant qu'elles ne sont pas émises)",
    roles=("trainer", "accounting"),
    response=SessionFunderInvoicesOut,
    tag=TAG,
)
def session_funder_invoices(session_id):
    with services() as rpc:
        return jsonify(rpc.education.session_funder_invoices(session_id))


@api_route(
    bp,
    "/funder-invoices/<invoice_id>.pdf",
    "GET",
    "La facture d'un financeur (PDF : l'organisme, son SIRET et son numéro de déclaration d'activité, "
    "le financeur, la session, une ligne par participant avec ses heures réalisées)",
    roles=("trainer", "accounting"),
    tag=TAG,
    content_type="application/pdf",
)
def funder_invoice_pdf_view(invoice_id):
    with services() as rpc:
        shown = rpc.education.get_funder_invoice(invoice_id)
    return downloads.pdf(
        funder_invoice_pdf.render(shown, training_documents.organisation_of(current_app.config)),
        funder_invoice_pdf.filename(shown),
    )


# --- the BPF ---------------------------------------------------------------------------------------
@api_route(
    bp,
    "/reports/bpf/<year>",
    "GET",
    "Le bilan pédagogique et financier de l'année (les sessions terminées cette année-là) : stagiaires, "
    "heures-stagiaires et produits par ligne du cerfa, par financement et par qualité du participant",
    roles=("trainer",),
    response=BpfOut,
    tag=TAG,
)
def bpf_report(year):
    with services() as rpc:
        return jsonify(rpc.education.bpf_report(year))


@api_route(
    bp,
    "/reports/bpf/<year>.csv",
    "GET",
    "Le bilan pédagogique et financier de l'année, en tableur (CSV : « ; », virgule décimale)",
    roles=("trainer",),
    tag=TAG,
    content_type="text/csv",
)
def bpf_report_csv(year):
    with services() as rpc:
        report = rpc.education.bpf_report(year)
    return downloads.csv(bpf_sheet.bpf_csv(report), bpf_sheet.filename(year))


# --- the satisfaction questionnaire -------------------------------------------------------------------
@api_route(
    bp,
    "/sessions/<session_id>/satisfaction",
    "GET",
    "Les résultats du questionnaire de satisfaction d'une session : par question le nombre de chaque "
    "réponse et la moyenne (de 1 à 4), les commentaires (sans leur auteur), qui a répondu",
    roles=("trainer",),
    response=SatisfactionOut,
    tag=TAG,
)
def satisfaction_results(session_id):
    with services() as rpc:
        return jsonify(rpc.education.satisfaction_results(session_id))


@api_route(
    bp,
    "/sessions/<session_id>/satisfaction/me",
    "GET",
    "Mon questionnaire de satisfaction pour cette session : ouvert ou non, déjà répondu ou non",
    roles=PARTICIPANTS,
    response=SatisfactionFormOut,
    tag=TAG,
)
def my_satisfaction(session_id):
    with services() as rpc:
        return jsonify(rpc.education.satisfaction_form(session_id, people.participant()[1]))


@api_route(
    bp,
    "/sessions/<session_id>/satisfaction/me",
    "POST",
    "Répondre à mon questionnaire de satisfaction (une fois, dès le jour de la dernière partie) : "
    "chaque question de 1 à 4 et un commentaire libre",
    roles=PARTICIPANTS,
    body=SatisfactionIn,
    response=SatisfactionFormOut,
    status=201,
    tag=TAG,
)
def answer_my_satisfaction(session_id):
    data = json_body()
    with services() as rpc:
        return created(rpc.education.answer_satisfaction(session_id, people.participant()[1], data, "account"))
