import pytest
from playwright.sync_api import expect

from etabli.core.models import ReviewItem, ReviewStatus
from etabli.core.services import reviews
from tests.factories import make_company, make_member, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_log_in_switch_company_and_accept_a_review_item(page):
    user = make_user(email="claire@cabinet.fr", password="un-mot-de-passe-solide")
    first, second = make_company("Menuiserie Martin"), make_company("Boulangerie Dupain")
    make_member(first, "accountant", user=user)
    make_member(second, "accountant", user=user)
    item = reviews.propose(company=second, kind="tests.note", title="Relancer la facture FA-2026-00042",
                           payload={"text": "Bonjour"}, confidence=0.87, reasons=["client fidèle, premier retard"])

    page.goto("/")
    assert page.title() == "Connexion — Établi"
    page.get_by_label("Adresse e-mail").fill("claire@cabinet.fr")
    page.get_by_label("Mot de passe").fill("un-mot-de-passe-solide")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")
    expect(page.get_by_role("heading", name="Aujourd'hui")).to_be_visible()

    page.get_by_label("Entreprise active").select_option(str(second.pk))  # submits through app.js
    page.wait_for_selector(f"text=Entreprise active : {second}")
    expect(page.get_by_text("Relancer la facture FA-2026-00042").first).to_be_visible()

    page.get_by_role("link", name="À valider").click()
    row = page.locator(f"#review-{item.pk}")
    assert "87" in row.inner_text() and "client fidèle, premier retard" in row.inner_text()
    row.get_by_role("button", name="Accepter").click()  # HTMX swaps the row in place
    page.wait_for_selector(f"#review-{item.pk} >> text=Acceptée")
    item.refresh_from_db()
    assert item.status == ReviewStatus.ACCEPTED and item.decided_by == user
    assert not ReviewItem.objects.filter(company=first).exists()
