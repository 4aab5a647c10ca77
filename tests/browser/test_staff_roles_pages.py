"""Staff roles in a real browser: an educator's menu offers the children's pages and no
« Facturation », the invoices page is refused to her in French, someone with no role yet sees a
home that says so; the director gives roles on the staff member's file. Checked with axe on a
desktop, a phone and at 200 %."""

import uuid

from tests.browser.conftest import axe_at_every_viewport, shoot, sign_in_as

PASSWORD = "un-role-bien-defini"


def new_staff_member(staff_api, *staff_roles):
    tag = uuid.uuid4().hex[:8]
    body = {
        "email": f"role-{tag}@example.fr",
        "password": PASSWORD,
        "first_name": "Camille",
        "last_name": f"Roy-{tag}",
        "staff_roles": list(staff_roles),
    }
    return staff_api.created("/api/v1/staff", body), body


def menu_text(page):
    return page.get_by_role("navigation", name="Menu principal").inner_text()


def test_an_educators_menu_has_the_check_ins_and_no_billing_which_is_refused_to_her(page, staff_api):
    _member, educator = new_staff_member(staff_api, "educator")
    sign_in_as(page, educator["email"], PASSWORD, "/equipe/")
    menu = menu_text(page)
    assert "Arrivées et départs" in menu
    for closed in ("Facturation", "Soldes", "Journal des actions", "Bénévoles", "Formations"):
        assert closed not in menu, closed
    shoot(page, "equipe-educatrice")
    refused = page.goto("/equipe/facturation")
    assert refused.status == 403
    assert "pas autorisé·e à ouvrir cette page" in page.locator("main").inner_text()


def test_the_director_gives_accounting_on_the_file_and_the_menu_follows_at_once(browser, stack, staff_page, staff_api):
    member, accountant = new_staff_member(staff_api)
    context = browser.new_context(base_url=stack, locale="fr-FR")
    own = context.new_page()
    sign_in_as(own, accountant["email"], PASSWORD, "/equipe/")
    assert "demandez à la direction" in own.locator("main").inner_text()
    assert "Facturation" not in menu_text(own)

    staff_page.goto(f"/equipe/personnel/{member['id']}")
    staff_page.get_by_label("Comptabilité").check()
    staff_page.get_by_role("button", name="Enregistrer la fiche").click()
    staff_page.get_by_text("enregistrée").first.wait_for()  # the flash after the save

    own.goto("/equipe/")  # the same session, the next request
    assert "Facturation" in menu_text(own)
    assert "Arrivées et départs" not in menu_text(own)
    context.close()


def test_the_pages_of_staff_roles_pass_axe_at_every_size(browser, stack, staff_api):
    _member, educator = new_staff_member(staff_api, "educator")
    _member, nobody = new_staff_member(staff_api)
    found = axe_at_every_viewport(
        browser,
        stack,
        {"educatrice-accueil": "/equipe/", "educatrice-refus": "/equipe/facturation"},
        sign_in=lambda page: sign_in_as(page, educator["email"], PASSWORD, "/equipe/"),
    )
    found.update(
        axe_at_every_viewport(
            browser,
            stack,
            {"sans-role-accueil": "/equipe/"},
            sign_in=lambda page: sign_in_as(page, nobody["email"], PASSWORD, "/equipe/"),
        )
    )
    assert found == {}
