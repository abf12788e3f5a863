import re

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from etabli.core.models import AuditEntry
from tests.factories import make_member, make_user

PASSWORD = "mot-de-passe-solide-42"


def login(client, email, password=PASSWORD):
    return client.post("/connexion/", {"username": email, "password": password})


@pytest.mark.django_db
class TestLogin:
    def test_login_logout_and_audit(self, client, owner):
        response = login(client, owner.user.email.upper())
        assert response.status_code == 302 and response["Location"] == "/"
        assert client.get("/").status_code == 200
        client.post("/deconnexion/")
        assert client.get("/").status_code == 302
        actions = list(AuditEntry.objects.filter(actor=owner.user).values_list("action", flat=True))
        assert "login" in actions and "logout" in actions

    def test_wrong_password_is_a_french_error(self, client, owner):
        response = login(client, owner.user.email, "faux")
        assert response.status_code == 200
        assert "Adresse e-mail ou mot de passe incorrect." in response.content.decode()
        assert AuditEntry.objects.filter(action="login_failed", actor_label=owner.user.email).exists()

    def test_brute_force_lockout_in_french_even_with_the_right_password(self, client, owner):
        for _ in range(5):
            login(client, owner.user.email, "faux")
        response = login(client, owner.user.email)
        assert response.status_code == 429
        assert "Trop de tentatives" in response.content.decode()
        assert client.get("/").status_code == 302  # still not logged in

    def test_argon2_is_the_production_hasher_and_logs_in(self, client, company):
        from etabli import settings as production

        assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher") or production.TESTING
        assert "django.contrib.auth.hashers.Argon2PasswordHasher" in production.PASSWORD_HASHERS
        user = make_user()
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]):
            user.password = make_password(PASSWORD)
            user.save()
            assert identify_hasher(user.password).algorithm == "argon2"
            make_member(company, "owner", user=user)
            assert login(client, user.email).status_code == 302


@pytest.mark.django_db
class TestTwoFactor:
    def _enrol(self, client, user):
        page = client.get("/securite/2fa/")
        assert "QR code" in page.content.decode()
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        bad = client.post("/securite/2fa/", {"token": "000000" if totp(device.bin_key) != 0 else "111111"})
        assert "Code incorrect" in bad.content.decode()
        too_fast = client.post("/securite/2fa/", {"token": f"{totp(device.bin_key):06d}"})
        assert "Trop d&#x27;essais" in too_fast.content.decode()
        device.throttle_reset()  # what waiting a few seconds does
        good = client.post("/securite/2fa/", {"token": f"{totp(device.bin_key):06d}"})
        codes = re.findall(r"^([a-z0-9]{8})$", good.content.decode(), re.M)
        assert "activée" in good.content.decode() and len(codes) == 8
        device.refresh_from_db()
        return device, codes

    def test_enrolled_user_must_give_a_code_after_the_password(self, client, owner):
        client.force_login(owner.user)
        device, codes = self._enrol(client, owner.user)
        client.post("/deconnexion/")
        login(client, owner.user.email)
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/connexion/verification/")
        wrong = client.post("/connexion/verification/", {"token": "123"})
        assert "Code incorrect ou expiré." in wrong.content.decode()
        throttled = client.post("/connexion/verification/", {"token": codes[0]})
        assert "Trop d&#x27;essais" in throttled.content.decode()
        for otp_device in (device, *owner.user.staticdevice_set.all()):
            otp_device.throttle_reset()
        ok = client.post("/connexion/verification/?next=/validation/", {"token": codes[0], "next": "/validation/"})
        assert ok.status_code == 302 and ok["Location"] == "/validation/"
        assert client.get("/").status_code == 200

    def test_company_can_make_2fa_mandatory(self, client, owner):
        employee = make_member(owner.company, "employee")
        client.force_login(owner.user)
        client.post("/reglages/securite/", {"require_2fa": "on"})
        owner.company.refresh_from_db()
        assert owner.company.require_2fa
        client.force_login(employee.user)
        response = client.get("/")
        assert response.status_code == 302 and response["Location"] == "/securite/2fa/"
        page = client.get("/securite/2fa/").content.decode()
        assert "exige la double authentification" in page
        refused = client.post("/securite/2fa/desactiver/", follow=True)
        assert "obligatoire" in refused.content.decode()

    def test_only_the_owner_sets_the_policy(self, member_client):
        client, membership = member_client("manager")
        client.post("/reglages/securite/", {"require_2fa": "on"})
        membership.company.refresh_from_db()
        assert not membership.company.require_2fa


@pytest.mark.django_db
class TestPasswordReset:
    def test_reset_by_email_sets_a_new_password(self, client, owner, mailoutbox):
        response = client.post("/mot-de-passe/oubli/", {"email": owner.user.email})
        assert response.status_code == 302
        assert len(mailoutbox) == 1 and mailoutbox[0].to == [owner.user.email]
        link = re.search(r"http://testserver(/mot-de-passe/nouveau/\S+)", mailoutbox[0].body).group(1)
        form_page = client.get(link, follow=True)
        assert "Nouveau mot de passe" in form_page.content.decode()
        post_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
        short = client.post(post_url, {"new_password1": "court", "new_password2": "court"})
        assert "trop court" in short.content.decode()
        done = client.post(post_url, {"new_password1": "Une-phrase-longue-2026", "new_password2": "Une-phrase-longue-2026"})
        assert done.status_code == 302
        assert login(client, owner.user.email, "Une-phrase-longue-2026").status_code == 302

    def test_unknown_address_reveals_nothing(self, client, mailoutbox):
        response = client.post("/mot-de-passe/oubli/", {"email": "inconnu@exemple.fr"})
        assert response.status_code == 302 and mailoutbox == []
