"""Real browser: generate the week's posts, edit one with the keyboard and approve it (Ctrl+Entrée)."""

import pytest

from etabli.core.models import AIDecision, Override, TimeSaved
from etabli.writing.models import Draft
from tests.apps.writing.factories import make_profile
from tests.factories import make_company, make_member, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_server_llm(monkeypatch):
    for name in ("ETABLI_LLM_URL", "ETABLI_LLM_MODEL", "ETABLI_LLM_API_KEY", "ETABLI_LLM_GGUF"):
        monkeypatch.delenv(name, raising=False)


def test_generate_the_weeks_posts_and_approve_one(page):
    user = make_user(email="pierre@menuiserie-martin.fr", password="un-mot-de-passe-solide")
    company = make_company("Menuiserie Martin")
    make_member(company, "owner", user=user)
    make_profile(company)

    page.goto("/connexion/")
    page.get_by_label("Adresse e-mail").fill("pierre@menuiserie-martin.fr")
    page.get_by_label("Mot de passe").fill("un-mot-de-passe-solide")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")

    page.get_by_role("link", name="Publications de la semaine").click()
    page.wait_for_url("**/redaction/publications/")
    assert page.get_by_label("Conseil").is_checked() and page.get_by_label("Offre du mois").is_checked()
    page.get_by_label("Semaine à partir du").fill("2026-11-30")
    page.get_by_role("button", name="Rédiger les publications").click()
    page.wait_for_url("**/redaction/demandes/*/")

    cards = page.locator("article.draft")
    assert cards.count() == 3
    drafts = list(Draft.objects.filter(company=company).order_by("position"))
    offer = page.locator(f"#draft-{drafts[2].pk}")
    assert "Brouillon généré par modèle de texte (sans IA)" in offer.inner_text()
    assert "849\u00a0€ au lieu de 979\u00a0€" in offer.locator("textarea").input_value()

    text = offer.locator("textarea")
    text.click()
    text.press("Control+End")
    text.type("\nÀ très vite à l'atelier !")
    counter = page.locator(f'[data-counter-for="text-{drafts[2].pk}"]')
    assert int(counter.inner_text()) == len(text.input_value())  # the live length counter follows the typing
    text.press("Control+Enter")  # keyboard shortcut: approve
    page.wait_for_selector(f"#draft-{drafts[2].pk} >> text=validé par")

    approved = Draft.objects.get(pk=drafts[2].pk)
    assert approved.status == "approved" and approved.approved_by == user
    assert approved.current_text.endswith("À très vite à l'atelier !")
    assert AIDecision.objects.get(pk=approved.decision_id).override == Override.EDITED
    assert TimeSaved.objects.get(company=company).action == "writing.post_approved"
    assert "Brouillon généré par modèle de texte (sans IA)" in page.locator(f"#draft-{drafts[0].pk}").inner_text()
    assert Draft.objects.filter(company=company, status="draft").count() == 2
