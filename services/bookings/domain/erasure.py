"""When a family's data may not be erased yet (RGPD art. 17.3 b and e: a legal obligation, the
defence of a claim), and the sentence that says why (docs/privacy.md).

Sources: [practice] an unpaid invoice is a claim the venue may still have to prove (art. 17.3 e);
a contract in progress is still being carried out (art. 6.1 b): it ends first.
"""

UNPAID = "Une facture n'est pas réglée ({numbers}) : l'effacement attendra son paiement ou un avoir."
CONTRACT_RUNNING = "Un contrat d'accueil est en cours : terminez-le avant d'effacer les données de la famille."


def blockers(unpaid_invoice_numbers, contracts_running):
    """The sentences refusing the erasure now (empty: it may go ahead)."""
    reasons = []
    if unpaid_invoice_numbers:
        reasons.append(UNPAID.format(numbers=", ".join(sorted(unpaid_invoice_numbers))))
    if contracts_running:
        reasons.append(CONTRACT_RUNNING)
    return reasons
