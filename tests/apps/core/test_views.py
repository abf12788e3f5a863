import pytest
from django.test import Client

from etabli.core.middleware import SESSION_COMPANY_KEY
from etabli.core.models import AutoRule, Company, Membership, ReviewItem, ReviewStatus
from etabli.core.services import alerts, reviews
from tests.factories import make_company, make_member


def propose(company, **kw):
    return reviews.propose(company=company, kind="tests.note", title=kw.pop("title", "Relancer Dupont"),
                           payload={"text": "Bonjour"}, confidence=0.9, reasons=["client fidèle, premier retard"], **kw)


def raise_alerts(company, informations: int) -> None:
    """`informations` minor alerts, then one critical alert (raised last, shown first)."""
    for n in range(informations):
        alerts.raise_alert(company=company, source="banque", code=f"info-{n}", severity="info",
                           message=f"Information numéro {n:02d}")
    alerts.raise_alert(company=company, source="banque", code="grave", severity="critical",
                       message="Trésorerie sous le seuil")


@pytest.mark.django_db
class TestShell:
    def test_login_page_is_french(self, client):
        response = client.get("/connexion/")
        html = response.content.decode()
        assert response.status_code == 200
        assert '<html lang="fr">' in html and "Adresse e-mail" in html and "Mot de passe oublié" in html

    def test_anonymous_is_sent_to_login(self, client):
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/connexion/")

    def test_home_shows_alerts_and_reviews_with_french_formats(self, owner_client, owner):
        alerts.raise_alert(company=owner.company, source="banque", code="t", severity="critical",
                           message="Votre trésorerie passera sous 10 000 € dans 18 jours")
        propose(owner.company)
        html = owner_client.get("/").content.decode()
        assert "Aujourd'hui" in html
        assert "Votre trésorerie passera sous 10 000 € dans 18 jours" in html
        assert "Relancer Dupont" in html and "90\xa0%" in html and "client fidèle, premier retard" in html

    def test_alerts_page_is_paginated_most_severe_first(self, owner_client, owner):
        raise_alerts(owner.company, 55)
        first = owner_client.get("/alertes/").content.decode()
        second = owner_client.get("/alertes/?page=2").content.decode()
        assert first.count("Information numéro") == 49 and "Trésorerie sous le seuil" in first
        assert second.count("Information numéro") == 6 and "Page 2 sur 2 (56 éléments)" in second

    def test_home_counts_every_alert_and_shows_the_ten_most_severe(self, owner_client, owner):
        raise_alerts(owner.company, 12)
        html = owner_client.get("/").content.decode()
        assert '<span class="kpi-value">13</span><span class="kpi-label">alertes actives</span>' in html
        assert "Trésorerie sous le seuil" in html and html.count("Information numéro") == 9

    def test_menu_follows_a_change_of_permissions(self, member_client):
        client, membership = member_client("employee")
        assert "Retour sur investissement" not in client.get("/").content.decode()
        membership.permission_overrides = {"roi.view": True}
        membership.save()
        assert "Retour sur investissement" in client.get("/").content.decode()  # menus are memoised per rights
        membership.permission_overrides = {}
        membership.save()
        assert "Retour sur investissement" not in client.get("/").content.decode()

    def test_menu_shows_only_what_the_role_may_see(self, member_client):
        client, _ = member_client("employee")
        html = client.get("/").content.decode()
        assert "À valider" in html and "Alertes" in html
        assert "Journal d&#x27;audit" not in html and "Journal d'audit" not in html
        assert "Retour sur investissement" not in html
        assert client.get("/audit/").status_code == 403

    def test_owner_sees_grouped_menu(self, owner_client):
        html = owner_client.get("/").content.decode()
        assert "Pilotage" in html and "Conformité" in html and "Journal des décisions IA" in html
        assert '<h2 class="nav-section">Opérations</h2>' not in html  # no operations module yet: section hidden

    def test_security_headers_and_csp(self, owner_client):
        response = owner_client.get("/")
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
class TestCompanySwitch:
    def test_switch_between_own_companies_only(self, client, owner):
        second = make_company("Seconde")
        make_member(second, "accountant", user=owner.user)
        stranger_company = make_company("Étrangère")
        client.force_login(owner.user)
        client.post("/entreprise/choisir/", {"company": second.pk})
        assert client.session[SESSION_COMPANY_KEY] == second.pk
        assert "Seconde" in client.get("/").content.decode()
        response = client.post("/entreprise/choisir/", {"company": stranger_company.pk}, follow=True)
        assert "Vous n&#x27;avez pas accès à cette entreprise." in response.content.decode()
        assert client.session[SESSION_COMPANY_KEY] == second.pk

    def test_a_forged_session_company_falls_back_to_a_membership(self, client, owner):
        stranger = make_company("Étrangère")
        client.force_login(owner.user)
        session = client.session
        session[SESSION_COMPANY_KEY] = stranger.pk
        session.save()
        html = client.get("/").content.decode()
        assert str(owner.company) in html and str(stranger) not in html


@pytest.mark.django_db
class TestReviewViews:
    def test_accept_reject_and_bulk_through_the_ui(self, owner_client, owner):
        a, b, c = (propose(owner.company, title=f"Proposition {i}") for i in range(3))
        assert owner_client.post(f"/validation/{a.pk}/accepter/").status_code == 302
        owner_client.post(f"/validation/{b.pk}/refuser/", {"reason": "Déjà réglé par téléphone"})
        response = owner_client.post("/validation/lot/", {"items": [c.pk]}, follow=True)
        assert "1 proposition(s) acceptée(s)." in response.content.decode()
        statuses = dict(ReviewItem.objects.values_list("pk", "status"))
        assert statuses == {a.pk: "accepted", b.pk: "rejected", c.pk: "accepted"}

    def test_htmx_accept_returns_the_updated_row(self, owner_client, owner):
        item = propose(owner.company)
        response = owner_client.post(f"/validation/{item.pk}/accepter/", HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert response.status_code == 200 and f'id="review-{item.pk}"' in html and "Acceptée" in html

    def test_edit_form_with_invalid_amount_shows_a_french_error(self, owner_client, owner):
        item = propose(owner.company)
        response = owner_client.post(f"/validation/{item.pk}/accepter/",
                                     {"with_edits": "1", "text": "Bonjour", "amount": "abc", "day": ""})
        assert response.status_code == 400
        assert "doit être un montant" in response.content.decode()
        assert ReviewItem.objects.get(pk=item.pk).status == ReviewStatus.PENDING

    def test_employee_cannot_accept_through_the_ui(self, member_client, company):
        client, _ = member_client("employee")
        item = propose(company)
        assert client.post(f"/validation/{item.pk}/accepter/").status_code == 403
        assert ReviewItem.objects.get(pk=item.pk).status == ReviewStatus.PENDING

    def test_auto_rules_page_sets_a_rule_owner_only(self, owner_client, owner, member_client):
        owner_client.post("/validation/regles/", {"kind": "tests.note", "enabled": "on", "min_confidence": "92"})
        rule = AutoRule.objects.get(company=owner.company, kind="tests.note")
        assert rule.enabled and rule.min_confidence == pytest.approx(0.92)
        response = owner_client.post("/validation/regles/", {"kind": "tests.note", "min_confidence": "douze"}, follow=True)
        assert "Le seuil doit être un pourcentage" in response.content.decode()


@pytest.mark.django_db
class TestSettings:
    def test_invalid_siren_is_refused_with_a_french_message_and_nothing_changes(self, owner_client, owner):
        data = {"legal_name": "Nouvelle raison", "siren": "123456789", "country": "FR", "vat_regime": "reel_normal",
                "fiscal_year_end_month": "12", "fiscal_year_end_day": "31", "hourly_cost": "40"}
        response = owner_client.post("/reglages/", data)
        assert response.status_code == 200
        assert "Le SIREN « 123456789 » n&#x27;est pas valide" in response.content.decode()
        assert Company.objects.get(pk=owner.company.pk).legal_name != "Nouvelle raison"

    def test_valid_settings_and_logo_are_saved(self, owner_client, owner):
        import io

        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (40, 20), "navy").save(buffer, "PNG")
        buffer.seek(0)
        buffer.name = "logo.png"
        data = {"legal_name": "Menuiserie Martin SARL", "siren": "732829320", "siret": "73282932000074",
                "vat_number": "FR44732829320", "country": "FR", "vat_regime": "reel_normal",
                "fiscal_year_end_month": "12", "fiscal_year_end_day": "31", "hourly_cost": "42,50", "logo": buffer}
        response = owner_client.post("/reglages/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        company = Company.objects.get(pk=owner.company.pk)
        assert company.siren == "732829320" and str(company.hourly_cost) == "42.50" and company.logo
        assert owner_client.get("/reglages/logo/").status_code == 200

    def test_manager_sees_settings_read_only(self, member_client):
        client, membership = member_client("manager")
        assert client.get("/reglages/").status_code == 200
        response = client.post("/reglages/", {"legal_name": "Piratée"}, follow=True)
        assert "Seul le dirigeant" in response.content.decode()
        assert Company.objects.get(pk=membership.company_id).legal_name != "Piratée"

    def test_inviting_a_member_sends_a_password_link(self, owner_client, owner, mailoutbox):
        owner_client.post("/reglages/utilisateurs/", {"email": "claire@cabinet.fr", "role": "accountant"})
        membership = Membership.objects.get(company=owner.company, user__email="claire@cabinet.fr")
        assert membership.role == "accountant"
        assert len(mailoutbox) == 1 and "/mot-de-passe/nouveau/" in mailoutbox[0].body
        assert str(owner.company) in mailoutbox[0].subject

    def test_invalid_email_invitation_shows_french_error(self, owner_client):
        response = owner_client.post("/reglages/utilisateurs/", {"email": "pas-un-email", "role": "employee"})
        assert "Saisissez une adresse de courriel valide." in response.content.decode()

    def test_owner_changes_role_and_overrides(self, owner_client, owner):
        member = make_member(owner.company, "employee")
        owner_client.post(f"/reglages/utilisateurs/{member.pk}/", {"action": "role", "role": "manager"})
        owner_client.post(f"/reglages/utilisateurs/{member.pk}/", {"action": "permissions", "audit.view": "1",
                                                                    "reviews.approve": "0"})
        member.refresh_from_db()
        assert member.role == "manager" and member.permission_overrides == {"audit.view": True, "reviews.approve": False}


@pytest.mark.django_db
class TestRequestGuards:
    def test_oversized_request_gets_a_french_413(self, owner_client, settings):
        settings.ETABLI_MAX_REQUEST_BYTES = 1000
        response = owner_client.post("/reglages/", {"legal_name": "x" * 5000})
        assert response.status_code == 413 and "trop volumineuse" in response.content.decode()
        api = owner_client.post("/api/v1/reviews/bulk-accept", data="x" * 5000, content_type="application/json")
        assert api.status_code == 413 and api.json()["error"]["code"] == "request_too_large"

    def test_csrf_is_enforced_with_a_french_page(self, owner):
        client = Client(enforce_csrf_checks=True)
        client.force_login(owner.user)
        response = client.post("/entreprise/choisir/", {"company": owner.company.pk})
        assert response.status_code == 403 and "Session expirée" in response.content.decode()

    def test_unknown_page_is_a_french_404(self, owner_client):
        response = owner_client.get("/nexiste-pas/")
        assert response.status_code == 404 and "Page introuvable" in response.content.decode()


@pytest.mark.django_db
def test_home_shows_module_cards_only_with_permission_and_survives_a_broken_card(owner_client, member_client, owner):
    from etabli.core.registry import HomeCard, register_home_card, registry

    register_home_card(1, "tests.card", "roi.view", lambda company: HomeCard("Carte de test", "42 %", "détail"))
    register_home_card(2, "tests.broken", "home.view", lambda company: 1 / 0)
    try:
        html = owner_client.get("/").content.decode()
        assert "Carte de test" in html and "42 %" in html
        client, _ = member_client("employee")  # employees have no roi.view
        assert "Carte de test" not in client.get("/").content.decode()
    finally:
        registry.home_cards[:] = [c for c in registry.home_cards if not c[1].startswith("tests.")]
