"""Dunning: every step of the default sequence (J-5 courtesy, J+1, J+15, J+30 formal notice) and every tone
(new → informative, loyal → courteous, recurrent late payer → firm), penalty arithmetic in the formal
notice, the review-queue flow with a real SMTP server, auto-send, LLM rephrasing checked against the
facts, and the CLI."""

import datetime as dt
import email
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from etabli.billing import services
from etabli.billing.errors import BillingError
from etabli.billing.models import Reminder, ReminderStatus, SentEmail
from etabli.billing.services.dunning import run_dunning, set_auto_send
from etabli.core.models import AIDecision, ReviewItem, ReviewStatus, TimeSaved, WebhookDelivery
from etabli.core.services import reviews, webhooks
from tests.apps.billing.factories import make_customer, make_issued, make_person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def issued(company, customer, days_ago: int, terms: int = 30):
    """An invoice issued `days_ago` days ago, due `terms` days after."""
    return make_issued(
        company, customer, issue_date=TODAY - dt.timedelta(days=days_ago), payment_terms_days=terms
    )


def history(company, customer, late: list[bool]):
    """Settled invoices in date order (oldest first), paid late (45 days after due) or on time."""
    start = 400
    for index, is_late in enumerate(late):
        invoice = issued(company, customer, start - index * 40, terms=0)
        paid_on = invoice.due_date + dt.timedelta(days=45 if is_late else 0)
        services.record_payment(
            company=company, invoice_id=invoice.pk, amount=invoice.total_ttc, date=paid_on, method="virement"
        )


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def entry_for(report, invoice):
    return next(e for e in report.entries if e.invoice_id == invoice.pk)


def accept(item, owner):
    return reviews.accept(item=item, user=owner.user, membership=owner)


def test_each_step_comes_at_its_time(billing_company, owner, smtp_server):
    customer = make_customer(billing_company)
    invoice = issued(billing_company, customer, days_ago=0, terms=30)
    due = invoice.due_date
    assert run_dunning(company=billing_company, as_of=due - dt.timedelta(days=6), dry_run=True).entries == []
    courtesy = run_dunning(company=billing_company, as_of=due - dt.timedelta(days=5))
    assert [e.level for e in courtesy.entries] == ["courtesy"] and courtesy.entries[0].outcome == "proposed"
    # one proposal at a time: nothing new while it waits
    assert run_dunning(company=billing_company, as_of=due - dt.timedelta(days=4), dry_run=True).entries == []
    accept(ReviewItem.objects.get(pk=courtesy.entries[0].review_id), owner)
    assert run_dunning(company=billing_company, as_of=due, dry_run=True).entries == []
    first = run_dunning(company=billing_company, as_of=due + dt.timedelta(days=1))
    assert [(e.level, e.days_from_due) for e in first.entries] == [("reminder", 1)]
    accept(ReviewItem.objects.get(pk=first.entries[0].review_id), owner)
    assert run_dunning(company=billing_company, as_of=due + dt.timedelta(days=14), dry_run=True).entries == []
    firm = run_dunning(company=billing_company, as_of=due + dt.timedelta(days=15))
    assert [e.level for e in firm.entries] == ["firm"]
    accept(ReviewItem.objects.get(pk=firm.entries[0].review_id), owner)
    notice = run_dunning(company=billing_company, as_of=due + dt.timedelta(days=30))
    assert [e.level for e in notice.entries] == ["formal_notice"]
    reminder = Reminder.objects.get(pk=notice.entries[0].reminder_id)
    assert reminder.subject == f"Mise en demeure de payer — facture {invoice.number}"
    assert len(smtp_server.messages) == 3
    assert Reminder.objects.filter(invoice=invoice, status=ReminderStatus.SENT).count() == 3


def test_a_long_overdue_invoice_starts_with_the_first_reminder(billing_company):
    customer = make_customer(billing_company)
    invoice = issued(billing_company, customer, days_ago=80, terms=30)
    report = run_dunning(company=billing_company, dry_run=True)
    entry = entry_for(report, invoice)
    assert entry.level == "reminder" and entry.days_from_due == 50  # never a formal notice out of the blue


def test_tone_new_customer_is_informative(billing_company):
    customer = make_customer(billing_company)
    invoice = issued(billing_company, customer, days_ago=32)
    entry = entry_for(run_dunning(company=billing_company, dry_run=True), invoice)
    assert entry.tone == "informative" and entry.tone_reason.startswith("Nouveau client")
    report = run_dunning(company=billing_company)
    body = plain(Reminder.objects.get(pk=entry_for(report, invoice).reminder_id).body)
    assert "Pour mémoire, nos conditions prévoient" in body and "indemnité forfaitaire de 40,00 €" in body


def test_tone_loyal_customer_first_delay_is_courteous(billing_company):
    customer = make_customer(billing_company, customer_since=TODAY - dt.timedelta(days=900))
    history(billing_company, customer, [False, False, False, False, False])
    invoice = issued(billing_company, customer, days_ago=32)
    report = run_dunning(company=billing_company)
    entry = entry_for(report, invoice)
    assert entry.tone == "courteous"
    assert entry.tone_reason == "Client fidèle (0 retard sur les 5 dernières factures) → ton courtois"
    assert "simple oubli" in Reminder.objects.get(pk=entry.reminder_id).body


def test_tone_recurrent_late_payer_is_firm(billing_company):
    customer = make_customer(billing_company, customer_since=TODAY - dt.timedelta(days=900))
    history(billing_company, customer, [True, False, True, True, False])
    invoice = issued(billing_company, customer, days_ago=32)
    entry = entry_for(run_dunning(company=billing_company), invoice)
    assert entry.tone == "firm" and "3 retards sur les 5 dernières factures" in entry.tone_reason
    body = plain(Reminder.objects.get(pk=entry.reminder_id).body)
    assert "sans délai" in body and "pénalités au taux annuel de 12,15 %" in body


def test_tone_set_on_the_customer_record_wins(billing_company):
    customer = make_customer(billing_company, tone="firm")
    invoice = issued(billing_company, customer, days_ago=32)
    entry = entry_for(run_dunning(company=billing_company, dry_run=True), invoice)
    assert entry.tone == "firm" and entry.tone_reason == "Ton choisi sur la fiche client : ferme"


def test_formal_notice_claims_penalties_and_indemnity_to_the_cent(billing_company, owner, smtp_server):
    customer = make_customer(billing_company)
    invoice = issued(billing_company, customer, days_ago=61, terms=30)  # due 31 days ago
    sent_reminders(billing_company, invoice)
    report = run_dunning(company=billing_company)
    entry = entry_for(report, invoice)
    assert entry.level == "formal_notice" and entry.days_from_due == 31
    # 2 354,40 € × 12,15 % × 31 / 365 = 24,2955… → 24,30 € ; + 40,00 € ; total 2 418,70 €
    assert (entry.penalties, entry.indemnity) == (Decimal("24.30"), Decimal("40.00"))
    body = Reminder.objects.get(pk=entry.reminder_id).body.replace("\u202f", " ").replace("\xa0", " ")
    assert "la somme totale de 2 418,70 €" in body
    assert (
        "pénalités de retard au taux de 12,15 % l'an (taux de refinancement de la BCE de 2,15 % majoré de 10 "
        "points, art. L441-10 du Code de commerce)"
    ) in body
    assert "soit 31 jours : 24,30 €" in body
    assert (
        "indemnité forfaitaire pour frais de recouvrement (art. D441-5 du Code de commerce) : 40,00 €" in body
    )
    item = ReviewItem.objects.get(pk=entry.review_id)
    assert any("Pénalités 24,30" in r for r in item.reasons)


def test_formal_notice_to_a_private_customer_claims_no_b2b_indemnity(billing_company):
    person = make_person(billing_company)
    invoice = issued(billing_company, person, days_ago=45, terms=0)
    sent_reminders(billing_company, invoice)
    entry = entry_for(run_dunning(company=billing_company), invoice)
    assert entry.level == "formal_notice" and entry.penalties == 0 and entry.indemnity == 0
    body = Reminder.objects.get(pk=entry.reminder_id).body
    assert "intérêts au taux légal" in body and "D441-5" not in body


def sent_reminders(company, invoice):
    """The first and the firmer reminders, sent 20 and 10 days ago."""
    from etabli.billing.models import DunningStep

    for level, days in (("reminder", 20), ("firm", 10)):
        Reminder.objects.create(
            company=company,
            invoice=invoice,
            level=level,
            tone="courteous",
            subject="Relance",
            body="…",
            status=ReminderStatus.SENT,
            scheduled_for=TODAY - dt.timedelta(days=days),
            sent_at=timezone.now() - dt.timedelta(days=days),
            step=DunningStep.objects.get(company=company, level=level),
        )


def test_review_queue_flow_sends_the_email_with_the_pdf(
    billing_company, owner, smtp_server, django_capture_on_commit_callbacks
):
    customer = make_customer(billing_company, email="compta@sci-tonneliers.fr")
    invoice = issued(billing_company, customer, days_ago=32)
    webhooks.create_endpoint(company=billing_company, url="http://127.0.0.1:9/hook", events=["reminder.sent"])
    entry = run_dunning(company=billing_company).entries[0]
    item = ReviewItem.objects.get(pk=entry.review_id)
    assert item.kind == "billing.reminder.reminder" and item.status == ReviewStatus.PENDING
    assert item.confidence == 0.95 and item.ai_decision_id is not None
    assert item.reasons[0] == f"Échéance du {invoice.due_date:%d/%m/%Y} dépassée de 2 jours"
    assert (
        not SentEmail.objects.exists() and smtp_server.messages == []
    )  # nothing leaves before a person decides
    with django_capture_on_commit_callbacks(execute=True):
        reviews.accept(
            item=item,
            user=owner.user,
            membership=owner,
            edits={"body": item.payload["body"] + "\nPS : merci d'indiquer la référence."},
        )
    reminder = Reminder.objects.get(pk=entry.reminder_id)
    assert reminder.status == ReminderStatus.SENT and reminder.body.endswith("merci d'indiquer la référence.")
    assert len(smtp_server.messages) == 1
    envelope = smtp_server.messages[0]
    assert envelope.rcpt_tos == ["compta@sci-tonneliers.fr"]
    message = email.message_from_bytes(envelope.content)
    attachments = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert attachments and attachments[0].get_filename() == f"facture-{invoice.number}.pdf"
    assert attachments[0].get_payload(decode=True).startswith(b"%PDF")
    log = SentEmail.objects.get(reminder=reminder)
    assert log.ok and log.kind == "reminder" and log.attachments == [f"facture-{invoice.number}.pdf"]
    saved = TimeSaved.objects.get(company=billing_company, action="billing.reminder_sent")
    assert saved.minutes == Decimal("8") and not saved.automated
    assert WebhookDelivery.objects.filter(company=billing_company, event="reminder.sent").count() == 1
    assert AIDecision.objects.get(pk=item.ai_decision_id).override == "edited"


def test_rejected_reminder_is_not_sent(billing_company, owner, smtp_server):
    invoice = issued(billing_company, make_customer(billing_company), days_ago=32)
    entry = run_dunning(company=billing_company).entries[0]
    reviews.reject(
        item=ReviewItem.objects.get(pk=entry.review_id),
        user=owner.user,
        membership=owner,
        reason="Le client a appelé, il paie demain",
    )
    assert Reminder.objects.get(pk=entry.reminder_id).status == ReminderStatus.REJECTED
    assert smtp_server.messages == [] and invoice.reminders.count() == 1


def test_customer_without_email_keeps_the_proposal_pending_with_a_french_reason(billing_company, owner):
    invoice = issued(billing_company, make_customer(billing_company, email=""), days_ago=32)
    item = ReviewItem.objects.get(pk=run_dunning(company=billing_company).entries[0].review_id)
    with pytest.raises(reviews.ReviewError, match="Adresse e-mail du destinataire manquante"):
        accept(item, owner)
    item.refresh_from_db()
    assert item.status == ReviewStatus.PENDING and "Adresse e-mail" in item.last_error
    assert invoice.reminders.get().status == ReminderStatus.PROPOSED


def test_auto_send_for_a_step_sends_without_a_click(billing_company, smtp_server):
    issued(billing_company, make_customer(billing_company), days_ago=32)
    set_auto_send(company=billing_company, level="reminder", enabled=True)
    entry = run_dunning(company=billing_company).entries[0]
    assert entry.outcome == "sent_automatically"
    assert ReviewItem.objects.get(pk=entry.review_id).status == ReviewStatus.AUTO_ACCEPTED
    assert len(smtp_server.messages) == 1
    assert TimeSaved.objects.get(action="billing.reminder_sent").automated
    with pytest.raises(BillingError, match="toujours validée par une personne"):
        set_auto_send(company=billing_company, level="formal_notice", enabled=True)


def test_a_payment_cancels_the_pending_reminder(billing_company):
    invoice = issued(billing_company, make_customer(billing_company), days_ago=32)
    entry = run_dunning(company=billing_company).entries[0]
    services.record_payment(
        company=billing_company,
        invoice_id=invoice.pk,
        amount=invoice.total_ttc,
        date=TODAY,
        method="virement",
    )
    assert Reminder.objects.get(pk=entry.reminder_id).status == ReminderStatus.CANCELLED
    assert ReviewItem.objects.get(pk=entry.review_id).status == ReviewStatus.EXPIRED


class TestLanguageModel:
    @pytest.fixture
    def llm(self, monkeypatch, billing_company):
        from etabli.billing.services.setup import update_settings

        update_settings(company=billing_company, llm_rephrase=True)

        def install(answer):
            from tests.engines.llm.scripted import ScriptedProvider

            # the core LLM service builds the company's provider: a scripted one stands in for a model server
            monkeypatch.setattr("etabli.core.services.llm._provider", lambda config: ScriptedProvider(answer))

        return install

    def facts_text(self, invoice):
        return {
            "number": invoice.number,
            "due": f"{invoice.due_date:%d/%m/%Y}",
            "issued": f"{invoice.issue_date:%d/%m/%Y}",
        }

    def test_grounded_rephrasing_is_used_and_labelled(self, billing_company, llm):
        invoice = issued(billing_company, make_customer(billing_company), days_ago=32)
        f = self.facts_text(invoice)
        llm(
            f"Madame, Monsieur,\n\nNous n'avons pas encore reçu le règlement de la facture n° {f['number']} du "
            f"{f['issued']}, échue le {f['due']}. Il reste 2\u202f354,40\xa0€ à régler.\n\nMerci d'avance."
        )
        entry = run_dunning(company=billing_company).entries[0]
        reminder = Reminder.objects.get(pk=entry.reminder_id)
        assert reminder.generated_by_ai and reminder.generation_label == "Brouillon généré par IA"
        assert "Merci d'avance." in reminder.body
        item = ReviewItem.objects.get(pk=entry.review_id)
        assert item.confidence == 0.85 and any("Brouillon généré par IA" in r for r in item.reasons)
        assert AIDecision.objects.filter(company=billing_company, engine="llm:scripted").exists()

    def test_invented_amount_falls_back_to_the_template(self, billing_company, llm):
        invoice = issued(billing_company, make_customer(billing_company), days_ago=32)
        f = self.facts_text(invoice)
        llm(
            f"Bonjour, la facture {f['number']} échue le {f['due']} : merci de régler 2\u202f500,00\xa0€ sous 48 heures."
        )
        reminder = Reminder.objects.get(pk=run_dunning(company=billing_company).entries[0].reminder_id)
        assert not reminder.generated_by_ai and "2\u202f500,00" not in reminder.body
        assert "absents de vos données" in reminder.fallback_reason

    def test_draft_without_the_amount_due_falls_back_to_the_template(self, billing_company, llm):
        invoice = issued(billing_company, make_customer(billing_company), days_ago=32)
        llm(f"Bonjour, un petit rappel pour la facture {invoice.number}. Merci !")
        reminder = Reminder.objects.get(pk=run_dunning(company=billing_company).entries[0].reminder_id)
        assert not reminder.generated_by_ai
        assert reminder.fallback_reason.startswith("Le brouillon de l'IA omet des éléments essentiels (")
        assert "montant dû" in reminder.fallback_reason and "2\u202f354,40" in reminder.body

    def test_formal_notice_is_never_rephrased(self, billing_company, llm):
        from etabli.billing.services.dunning import compose_message
        from etabli.billing.services.setup import ensure_settings

        llm("ne doit pas être appelé")
        result = compose_message(
            level="formal_notice",
            tone="firm",
            facts=_facts(),
            settings=ensure_settings(billing_company),
            company=billing_company,
        )
        assert not result["generated_by_ai"] and "jamais reformulé" in result["fallback_reason"]


def _facts():
    from tests.apps.billing.test_rules import TestTemplates

    return dict(TestTemplates.FACTS)


def test_cli_remind_dry_run_lists_the_reminders_with_their_tone(billing_company, run_cli):
    late = issued(billing_company, make_customer(billing_company), days_ago=32)
    soon = issued(billing_company, make_customer(billing_company), days_ago=0, terms=4)
    result = run_cli("billing", "remind", "--company", billing_company.slug, "--dry-run", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["dry_run"] is True and payload["count"] == 2
    by_number = {r["number"]: r for r in payload["reminders"]}
    assert by_number[late.number]["level"] == "reminder" and by_number[late.number]["tone"] == "informative"
    assert (
        by_number[soon.number]["level"] == "courtesy" and by_number[soon.number]["outcome"] == "would_propose"
    )
    assert not Reminder.objects.exists() and not ReviewItem.objects.exists()
    real = run_cli("billing", "remind", "--company", billing_company.slug, "--json")
    assert json.loads(real.stdout)["count"] == 2 and Reminder.objects.count() == 2
    unknown = run_cli("billing", "remind", "--company", "inconnue")
    assert unknown.returncode == 1 and unknown.stderr.startswith(
        "Erreur : Entreprise « inconnue » introuvable"
    )
