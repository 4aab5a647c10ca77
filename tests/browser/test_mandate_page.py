"""The family's «Prélèvement SEPA» page in a real browser: the mandate text, a wrong IBAN refused
next to its field, the mandate signed and shown masked; no serious axe violation, before and after."""

from itertools import count

from tests.browser.conftest import serious_violations, shoot
from tests.browser.test_family_pages import register

_numbers = count(1)


def test_a_family_signs_its_mandate_and_sees_it_masked(page):
    register(page, f"mandat{next(_numbers)}@example.fr")
    page.goto("/famille/")
    page.get_by_role("link", name="Prélèvement SEPA : mon mandat").click()
    page.wait_for_url("**/famille/prelevement")
    assert "dans les 8 semaines suivant la date de débit" in page.content()
    assert serious_violations(page) == []
    page.get_by_label("Nom du titulaire du compte").fill("Camille Durand")
    page.get_by_label("IBAN", exact=True).fill("FR76 3000 6000 0112 3456 7890 188")
    page.get_by_label("Je signe ce mandat").check()
    page.get_by_role("button", name="Signer le mandat").click()
    page.get_by_text("La clé de contrôle de l'IBAN est fausse").first.wait_for()
    shoot(page, "famille-mandat-erreur")
    assert serious_violations(page) == []
    page.get_by_label("IBAN", exact=True).fill("FR76 3000 6000 0112 3456 7890 189")
    page.get_by_label("Je signe ce mandat").check()
    page.get_by_role("button", name="Signer le mandat").click()
    page.get_by_text("Mandat de prélèvement SEPA enregistré").wait_for()
    table = page.locator("#mandat").inner_text()
    assert "FR76 •••• •••• 0189" in table and "Camille Durand" in table
    assert "3000 6000" not in page.content()
    shoot(page, "famille-mandat")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Révoquer mon mandat").click()
    page.get_by_text("vos prochaines factures ne seront plus prélevées").first.wait_for()
    assert page.locator("#mandat").count() == 0 and page.get_by_role("button", name="Signer le mandat").count() == 1
    assert serious_violations(page) == []
