import datetime as dt
import socket
import time
from decimal import Decimal

import pytest
from django.utils import timezone

from etabli.core import selectors
from etabli.core.models import Alert, Severity, TimeSaved
from etabli.core.services import ailog, alerts, digest, ledger, reviews
from etabli.core.services import roi as roi_service
from tests.factories import make_member


@pytest.mark.django_db
class TestAiLog:
    def test_digest_is_stable_and_the_input_itself_is_not_stored(self, company):
        a = ailog.log_decision(company=company, use_case="x", engine="e", input_data={"b": 2, "a": "Dupont"})
        b = ailog.log_decision(company=company, use_case="x", engine="e", input_data={"a": "Dupont", "b": 2})
        c = ailog.log_decision(company=company, use_case="x", engine="e", input_data={"a": "Durand", "b": 2})
        assert a.input_digest == b.input_digest != c.input_digest
        assert len(a.input_digest) == 64 and "Dupont" not in str(a.output)

    def test_confidence_outside_0_1_is_refused(self, company):
        with pytest.raises(ValueError, match="entre 0 et 1"):
            ailog.log_decision(company=company, use_case="x", engine="e", confidence=2)


@pytest.mark.django_db
class TestLedgerAndRoi:
    def test_default_minutes_and_company_override(self, company):
        assert ledger.minutes_for(company, "tests.action") == Decimal("6")
        ledger.set_minutes_override(company=company, action_key="tests.action", minutes=Decimal("9"))
        assert ledger.minutes_for(company, "tests.action") == Decimal("9")
        ledger.set_minutes_override(company=company, action_key="tests.action", minutes=None)
        assert ledger.minutes_for(company, "tests.action") == Decimal("6")
        with pytest.raises(KeyError):
            ledger.record_time_saved(company=company, action_key="inconnue")
        with pytest.raises(ValueError, match="négatif"):
            ledger.record_time_saved(company=company, action_key="tests.action", minutes=-1)

    def test_roi_is_hours_times_hourly_cost_against_declared_costs(self, company):
        company.hourly_cost = Decimal("35.00")
        company.save()
        today = dt.date(2026, 11, 26)
        now = timezone.make_aware(dt.datetime(2026, 11, 20, 10))
        for _ in range(10):  # 10 × 6 min = 1 h this month
            ledger.record_time_saved(company=company, action_key="tests.action", occurred_at=now)
        ledger.record_time_saved(company=company, action_key="tests.action", minutes=120,
                                 occurred_at=now - dt.timedelta(days=40), automated=True)
        roi_service.set_use_case_cost(company=company, use_case="tests.notes", monthly_cost=Decimal("5"))
        summary = selectors.roi_summary(company=company, months=2, today=today)
        row = summary.rows[0]
        assert (row.hours, row.value, row.cost, row.occurrences) == (Decimal("3.00"), Decimal("105.00"), Decimal("10"), 11)
        assert row.roi == Decimal("9.5") and row.verdict == "À étendre"  # (105 − 10) / 10
        assert row.automated_share == pytest.approx(1 / 11)
        by_month = {m.strftime("%Y-%m"): v for m, v in summary.by_month.items()}
        assert by_month["2026-11"]["tests.notes"] == Decimal("1")
        assert by_month["2026-10"]["tests.notes"] == Decimal("2")

    @pytest.mark.parametrize("roi,verdict", [(None, "Coût non renseigné"), (Decimal("1.5"), "À étendre"),
                                             (Decimal("0.7"), "À optimiser"), (Decimal("0.2"), "À reconsidérer")])
    def test_guide_decision_rule(self, roi, verdict):
        assert selectors.roi_verdict(roi) == verdict


@pytest.mark.django_db
class TestAlerts:
    def test_raising_twice_updates_the_open_alert(self, company):
        first = alerts.raise_alert(company=company, source="banque", code="tresorerie-sous-seuil",
                                   message="Votre trésorerie passera sous 10 000 € dans 18 jours")
        second = alerts.raise_alert(company=company, source="banque", code="tresorerie-sous-seuil",
                                    message="Votre trésorerie passera sous 10 000 € dans 17 jours", severity="critical")
        assert first.pk == second.pk
        assert Alert.objects.get(pk=first.pk).severity == Severity.CRITICAL

    def test_dismiss_snooze_resolve_and_ordering(self, owner):
        company = owner.company
        info = alerts.raise_alert(company=company, source="x", code="info", message="i", severity="info")
        soon = alerts.raise_alert(company=company, source="x", code="soon", message="s", severity="warning",
                                  due_date=dt.date(2026, 12, 1))
        later = alerts.raise_alert(company=company, source="x", code="later", message="l", severity="warning",
                                   due_date=dt.date(2026, 12, 20))
        alerts.raise_alert(company=company, source="x", code="urgent", message="u", severity="critical")
        assert [a.code for a in selectors.active_alerts(company=company)] == ["urgent", "soon", "later", "info"]
        alerts.snooze(alert=soon, until=timezone.now() + dt.timedelta(days=1))
        alerts.dismiss(alert=info, user=owner.user)
        assert alerts.resolve(company=company, code="urgent") == 1
        assert [a.code for a in selectors.active_alerts(company=company)] == ["later"]
        assert [a.code for a in selectors.active_alerts(company=company, now=timezone.now() + dt.timedelta(days=2))] == [
            "soon", "later"]
        with pytest.raises(ValueError, match="futur"):
            alerts.snooze(alert=later, until=timezone.now() - dt.timedelta(minutes=1))
        reopened = alerts.raise_alert(company=company, source="x", code="info", message="de nouveau")
        assert reopened.pk != info.pk

    def test_unknown_severity_is_refused(self, company):
        with pytest.raises(ValueError, match="Gravité"):
            alerts.raise_alert(company=company, source="x", code="c", message="m", severity="panique")


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on loopback; Django's SMTP backend talks to it."""
    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield handler
    controller.stop()


@pytest.mark.django_db
def test_daily_digest_goes_through_a_real_smtp_server(owner, smtp_server):
    company = owner.company
    owner.user.first_name = "Pierre"
    owner.user.save()
    make_member(company, "employee")  # employees do not receive the digest
    opted_out = make_member(company, "manager")
    opted_out.user.digest_opt_in = False
    opted_out.user.save()
    alerts.raise_alert(company=company, source="facturation", code="c1", message="Facture FA-2026-00042 en retard de 15 jours",
                       severity="warning", due_date=dt.date(2026, 11, 10))
    reviews.propose(company=company, kind="tests.note", title="Relance courtoise à Dupont SARL", payload={"text": "x"},
                    confidence=0.9)
    ledger.record_time_saved(company=company, action_key="tests.action",
                             occurred_at=timezone.now() - dt.timedelta(days=1))
    assert digest.send_digest(company=company) == 1
    deadline = time.time() + 5
    while not smtp_server.messages and time.time() < deadline:
        time.sleep(0.05)
    assert len(smtp_server.messages) == 1
    envelope = smtp_server.messages[0]
    assert envelope.rcpt_tos == [owner.user.email]
    import email
    from email.header import decode_header, make_header

    parsed = email.message_from_bytes(envelope.content)
    assert str(make_header(decode_header(parsed["Subject"]))).endswith("1 alerte(s), 1 proposition(s) à valider")
    text = next(part for part in parsed.walk() if part.get_content_type() == "text/plain").get_payload(decode=True).decode()
    assert "Bonjour Pierre" in text
    assert "Facture FA-2026-00042 en retard de 15 jours (échéance 10/11/2026)" in text
    assert "Relance courtoise à Dupont SARL (confiance 90" in text
    assert "Temps gagné hier : 6 minutes." in text


@pytest.mark.django_db
def test_empty_digest_is_not_sent(owner, mailoutbox):
    assert digest.send_digest(company=owner.company) == 0
    assert mailoutbox == []
    assert TimeSaved.objects.count() == 0
