"""The RGPD export (articles 15 and 20): everything the venue holds about one account's person
(and a family's children), as a ZIP of JSON files, one per service, each gathered by RPC
(`export_person`, shared/personal_data.py), plus the gateway's own rows and a README in French.

Shared by the API (`GET /api/v1/me/export`, `GET /api/v1/accounts/{id}/export`) and the pages
(« Télécharger mes données », and staff's button on /equipe/comptes). Every service must answer:
one that does not makes the whole export fail with a 503 naming it, never a ZIP with a file
missing that the person would take for complete."""

import io
import json
import logging
import zipfile
from datetime import datetime, timezone

from amqp.exceptions import AMQPError
from flask import Response
from kombu.exceptions import OperationalError
from marshmallow import Schema, fields
from nameko.exceptions import RemoteError, RpcTimeout, UnknownService

from services.gateway import account_roles, audit
from services.gateway.errors import ApiError
from services.gateway.models import Account, AuditEntry, PasswordReset, Token
from services.gateway.service_calls import services
from shared.errors import Unavailable
from shared.timeutil import as_utc, db_now, venue_zone

log = logging.getLogger(__name__)

# Each service and what its file holds, as the README says it.
SERVICES = {
    "bookings": "le dossier de la famille et de ses enfants (fiche santé, adultes autorisés à venir "
    "les chercher, registre des incidents), les réservations, les contrats, les présences, les factures, "
    "les paiements, les mandats SEPA, l'historique des corrections ; pour l'équipe, les stagiaires et les "
    "bénévoles, les activités et créneaux où la personne était nommée",
    "placements": "le dossier de stagiaire, les attestations d'honorabilité, les stages (évaluation, "
    "gratifications, modifications) et chaque relevé d'heures avec sa validation",
    "volunteers": "le dossier de bénévole (contact, personne à prévenir, consentement, assurance, charte), "
    "les attestations d'honorabilité, les inscriptions et les heures de chaque année",
    "education": "les inscriptions aux formations (contrat ou convention, paiements), les présences et "
    "signatures, les certificats, les évaluations et les réponses au questionnaire de satisfaction",
    "team": "la fiche de l'équipe : poste, diplômes, attestations d'honorabilité",
    "notifications": "l'adresse connue, les notifications, les emails envoyés (destinataire, objet, statut, "
    "dates), les rappels et le choix des emails reçus",
}
PERSONAL_DATA_EXPORTED = "personal_data_exported"  # staff exported another person's data (audit line)
UNAVAILABLE = (RpcTimeout, UnknownService, RemoteError, AMQPError, OperationalError, ConnectionError, Unavailable)


class ExportedAccountOut(Schema):
    """The gateway's row of the account, without its password hash."""

    id = fields.String()
    email = fields.String()
    role = fields.String()
    subject_id = fields.String(allow_none=True)
    roles = fields.Function(
        lambda account: account_roles.subjects(account),
        metadata={"description": "Chaque rôle du compte et l'identifiant de sa fiche."},
    )
    first_name = fields.String()
    last_name = fields.String()
    created_at = fields.Function(lambda account: as_utc(account.created_at).isoformat())
    deactivated_at = fields.Function(
        lambda account: as_utc(account.deactivated_at).isoformat() if account.deactivated_at else None
    )


def person(account, role=None):
    """The identity every service's export_person takes, for one of the account's roles (its
    primary one by default)."""
    role = role or account.role
    return {
        "account_id": account.id,
        "subject_id": None if role == "staff" else account_roles.subject_for(account, role),  # staff: by account id
        "email": account.email,
        "role": role,
    }


def gather(rpc, account):
    """{service: its answer}; a 503 naming the first service that did not answer. An account with
    several roles is asked for under each (a parent also a trainee: as the family, then as the
    trainee), and each service's file holds {"roles": {role: answer}}."""
    held = account_roles.roles_of(account)
    answers = {}
    for name in SERVICES:
        try:
            found = {role: getattr(rpc, name).export_person(person(account, role)) for role in held}
            answers[name] = found[held[0]] if len(held) == 1 else {"roles": found}
        except UNAVAILABLE as exc:
            log.warning("export: a service did not answer", extra={"service": name, "error": repr(exc)})
            raise ApiError(
                503,
                "unavailable",
                f"L'export n'a pas pu être préparé : le service « {name} » ne répond pas pour le moment. "
                "Aucun fichier incomplet n'a été produit ; réessayez dans un instant.",
            ) from None
    return answers


def gateway_part(account):
    """The account's row, how many API tokens are alive, how many times its page sessions were
    all ended (a sign-out everywhere, a new password), how many reset links it was sent, and the
    audit lines about the person. Never a token, a link's secret or the password hash."""
    ids = list(dict.fromkeys(i for i in [account.id] + [s["id"] for s in account_roles.subjects(account)] if i))
    about = AuditEntry.actor_id == account.id
    for i in ids:
        about |= AuditEntry.subjects.contains(f" {i} ")
    lines = AuditEntry.select().where(about).order_by(AuditEntry.created_at, AuditEntry.id)
    return {
        "account": ExportedAccountOut().dump(account),
        "api_tokens_alive": Token.select().where(Token.account == account.id, Token.expires_at > db_now()).count(),
        "page_sessions_ended": account.session_version,
        "password_reset_links": PasswordReset.select().where(PasswordReset.account == account.id).count(),
        "audit": audit.AuditEntryOut(many=True).dump([audit.presented(line) for line in lines]),
    }


def readme(account, made_at):
    day = made_at.astimezone(venue_zone())
    lines = [
        "Export de vos données personnelles — Cocoon'Age",
        "",
        f"Compte : {account.email}",
        f"Date de l'export : {day.strftime('%d/%m/%Y à %H:%M')} ({day.isoformat()})",
        "",
        "Cette archive contient tout ce que le lieu conserve sur vous (et, pour une famille, sur ses "
        "enfants), au titre des articles 15 et 20 du RGPD (droit d'accès, droit à la portabilité).",
        "Chaque fichier est au format JSON, lisible par un tableur ou un autre logiciel :",
        "",
        "- gateway.json : votre compte (sans le mot de passe), le nombre de jetons d'accès en cours et de "
        "liens de réinitialisation envoyés, le journal des actions qui vous concernent (connexions, "
        "changements du compte)",
    ]
    lines += [f"- {name}.json : {what}" for name, what in SERVICES.items()]
    lines += [
        "",
        "Si votre compte a plusieurs rôles (par exemple parent et stagiaire), chaque fichier de service "
        "donne, sous « roles », ce que ce service conserve pour chacun d'eux.",
        "Une liste vide ou la valeur null signifie que ce service ne conserve rien de ce genre sur vous.",
        "Pour toute question, ou pour demander une correction ou un effacement, adressez-vous à la direction du lieu.",
        "",
    ]
    return "\r\n".join(lines)


def zip_bytes(account, answers, made_at):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(account, made_at).encode("utf-8"))
        archive.writestr("gateway.json", _json(gateway_part(account)))
        for name, answer in answers.items():
            archive.writestr(f"{name}.json", _json(answer))
    return buffer.getvalue()


def _json(value):
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


def export(account, by=None):
    """The ZIP download of `account`'s data; `by`: the staff account producing it for someone else
    (an audit line names both)."""
    with services() as rpc:
        answers = gather(rpc, account)
    made_at = datetime.now(timezone.utc)
    data = zip_bytes(account, answers, made_at)
    if by is not None and by.id != account.id:
        audit.append_safely(
            PERSONAL_DATA_EXPORTED, actor=by, subjects=[account.id, *(s["id"] for s in account_roles.subjects(account))]
        )
    filename = f"cocoonage-donnees-{made_at.astimezone(venue_zone()).date().isoformat()}.zip"
    return Response(
        data,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"},
    )


def account_or_404(account_id):
    account = Account.get_or_none(Account.id == account_id)
    if account is None:
        raise ApiError(404, "not_found", "Compte introuvable.")
    return account
