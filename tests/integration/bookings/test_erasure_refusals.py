"""An erasure is refused, with the reason in French, while the family has a contract in progress
and then an unpaid invoice (docs/privacy.md); nothing is erased or published then."""

from datetime import timedelta

from services.gateway.models import Account, ErasureRecord, database
from tests.api import STAFF
from tests.dates import set_clock
from tests.integration.bookings.test_closures_api import FULL_MONTH, START
from tests.integration.bookings.test_invoices_api import signed_contract

MONTH = f"{START:%Y-%m}"


def account_of(client, email):
    with client.application.app_context(), database.connection_context():
        return Account.get(Account.email == email)


def registered(client):
    with client.application.app_context(), database.connection_context():
        return ErasureRecord.select().count()


def test_a_running_contract_and_an_unpaid_invoice_refuse_the_erasure_with_their_reasons(
    api, staff, client, monkeypatch
):
    profile, _, _ = signed_contract(api, staff)
    account = account_of(client, profile["email"])

    running = staff.post(f"/api/v1/accounts/{account.id}/erase")
    assert running.status_code == 409, running.json
    assert running.json["error"]["fields"]["erasure"] == [
        "Un contrat d'accueil est en cours : terminez-le avant d'effacer les données de la famille."
    ]

    set_clock(monkeypatch, 9, day=FULL_MONTH + timedelta(days=1))
    [invoice] = staff.post(f"/api/v1/billing/{MONTH}/close").json["invoices"]
    unpaid = staff.post(f"/api/v1/accounts/{account.id}/erase")
    assert unpaid.status_code == 409
    assert f"Une facture n'est pas réglée ({invoice['number']})" in unpaid.json["error"]["message"]
    assert account_of(client, profile["email"]).active  # nothing was done
    assert registered(client) == 0


def test_nobody_erases_their_own_account(api, staff, client):
    me = account_of(client, STAFF["email"])
    assert staff.post(f"/api/v1/accounts/{me.id}/erase").status_code == 409
