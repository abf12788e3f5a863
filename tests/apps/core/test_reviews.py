from decimal import Decimal

import pytest

from etabli.core.models import AIDecision, Alert, AuditEntry, ReviewItem, ReviewStatus, TimeSaved, WebhookDelivery
from etabli.core.permissions import PermissionDenied
from etabli.core.services import ailog, reviews, webhooks
from tests.factories import make_member


def propose(company, **kwargs):
    defaults = dict(kind="tests.note", title="Envoyer la relance", payload={"text": "Bonjour"}, confidence=0.8,
                    reasons=["3 retards sur les 5 dernières factures"])
    return reviews.propose(company=company, **{**defaults, **kwargs})


@pytest.mark.django_db
class TestProposeAndDecide:
    def test_accept_applies_the_handler_logs_time_saved_and_the_human_decision(self, owner):
        decision = ailog.log_decision(company=owner.company, use_case="tests.notes", engine="règles", input_data={"a": 1},
                                      output={"tone": "courtois"}, confidence=0.8, explanation=["client fidèle"])
        item = propose(owner.company, ai_decision=decision)
        assert item.status == ReviewStatus.PENDING
        reviews.accept(item=item, user=owner.user, membership=owner)
        item.refresh_from_db()
        assert item.status == ReviewStatus.ACCEPTED and item.decided_by == owner.user
        assert item.result == {"applied_text": "Bonjour"}
        assert Alert.objects.filter(company=owner.company, code=f"applied-{item.pk}").exists()
        saved = TimeSaved.objects.get(company=owner.company)
        assert (saved.minutes, saved.use_case, saved.automated) == (Decimal("6.00"), "tests.notes", False)
        decision.refresh_from_db()
        assert decision.override == "accepted" and decision.overridden_by == owner.user

    def test_a_decided_item_cannot_be_decided_again(self, owner):
        item = propose(owner.company)
        reviews.accept(item=item, user=owner.user, membership=owner)
        with pytest.raises(reviews.ReviewError, match="déjà été traitée"):
            reviews.accept(item=item, user=owner.user, membership=owner)
        with pytest.raises(reviews.ReviewError, match="déjà été traitée"):
            reviews.reject(item=item, user=owner.user, membership=owner)

    def test_edits_are_converted_and_marked_as_edited(self, owner):
        item = propose(owner.company)
        reviews.accept(item=item, user=owner.user, membership=owner,
                       edits={"text": "Bonjour Madame", "amount": "1 234,50", "day": "15/01/2027"})
        item.refresh_from_db()
        assert item.status == ReviewStatus.EDITED
        assert item.edited_payload == {"text": "Bonjour Madame", "amount": "1234.50", "day": "2027-01-15"}
        assert Alert.objects.get(code=f"applied-{item.pk}").message == "Bonjour Madame"

    def test_invalid_edits_are_refused_field_by_field_and_nothing_is_applied(self, owner):
        item = propose(owner.company)
        with pytest.raises(reviews.ReviewError) as error:
            reviews.accept(item=item, user=owner.user, membership=owner, edits={"amount": "douze", "day": "32/13/2026"})
        assert set(error.value.field_errors) == {"amount", "day"}
        assert "montant" in error.value.field_errors["amount"]
        with pytest.raises(reviews.ReviewError, match="pas modifiables"):
            reviews.accept(item=item, user=owner.user, membership=owner, edits={"confidence": "1"})
        item.refresh_from_db()
        assert item.status == ReviewStatus.PENDING
        assert not Alert.objects.filter(code=f"applied-{item.pk}").exists()

    def test_a_failing_handler_rolls_back_its_writes_and_keeps_the_item_pending_with_the_reason(self, owner):
        item = propose(owner.company, payload={"text": "x", "fail": True})
        with pytest.raises(reviews.ReviewApplyError):
            reviews.accept(item=item, user=owner.user, membership=owner)
        item.refresh_from_db()
        assert item.status == ReviewStatus.PENDING
        assert item.last_error == "Le destinataire n'a pas d'adresse e-mail."
        assert not Alert.objects.filter(code=f"applied-{item.pk}").exists()  # the handler's write was rolled back
        assert not TimeSaved.objects.exists()

    def test_reject_records_the_reason_and_the_override(self, owner):
        decision = ailog.log_decision(company=owner.company, use_case="tests.notes", engine="règles", input_data={})
        item = propose(owner.company, ai_decision=decision)
        reviews.reject(item=item, user=owner.user, membership=owner, reason="Client déjà appelé")
        item.refresh_from_db()
        decision.refresh_from_db()
        assert item.status == ReviewStatus.REJECTED and item.reject_reason == "Client déjà appelé"
        assert decision.override == "rejected" and decision.override_note == "Client déjà appelé"
        assert not TimeSaved.objects.exists()

    def test_bulk_accept_reports_each_outcome(self, owner, other_company):
        good = propose(owner.company)
        bad = propose(owner.company, payload={"text": "x", "fail": True})
        foreign = propose(other_company)
        outcomes = reviews.bulk_accept(company=owner.company, item_ids=[good.pk, bad.pk, foreign.pk], user=owner.user,
                                       membership=owner)
        assert [(o.item_id, o.ok) for o in outcomes] == [(good.pk, True), (bad.pk, False), (foreign.pk, False)]
        assert outcomes[1].message == "Le destinataire n'a pas d'adresse e-mail."
        assert outcomes[2].message == "Proposition introuvable."
        foreign.refresh_from_db()
        assert foreign.status == ReviewStatus.PENDING

    def test_dedupe_key_makes_proposing_idempotent(self, company):
        first = propose(company, dedupe_key="relance:FA-1:J+1")
        second = propose(company, dedupe_key="relance:FA-1:J+1")
        assert first.pk == second.pk
        assert ReviewItem.objects.filter(company=company).count() == 1

    def test_unknown_kind_and_bad_confidence_are_refused(self, company):
        with pytest.raises(reviews.ReviewError, match="Aucun module"):
            propose(company, kind="inconnu")
        with pytest.raises(reviews.ReviewError, match="entre 0 et 1"):
            propose(company, confidence=1.5)


@pytest.mark.django_db
class TestPermissions:
    def test_employee_cannot_decide(self, company):
        employee = make_member(company, "employee")
        item = propose(company)
        with pytest.raises(PermissionDenied):
            reviews.accept(item=item, user=employee.user, membership=employee)

    def test_handler_permission_is_required_on_top_of_reviews_approve(self, company):
        manager = make_member(company, "manager")
        item = propose(company, kind="tests.manual_only")
        with pytest.raises(PermissionDenied):
            reviews.accept(item=item, user=manager.user, membership=manager)

    def test_member_of_another_company_cannot_decide(self, company, other_company):
        stranger = make_member(other_company, "owner")
        item = propose(company)
        with pytest.raises(PermissionDenied):
            reviews.accept(item=item, user=stranger.user, membership=stranger)


@pytest.mark.django_db
class TestAutoMode:
    def test_auto_mode_applies_above_threshold_only_and_logs_it(self, owner):
        reviews.set_auto_rule(company=owner.company, kind="tests.note", enabled=True, min_confidence=0.9)
        decision = ailog.log_decision(company=owner.company, use_case="tests.notes", engine="r", input_data={})
        sure = propose(owner.company, confidence=0.95, ai_decision=decision)
        unsure = propose(owner.company, confidence=0.85)
        unknown = propose(owner.company, confidence=None)
        assert sure.status == ReviewStatus.AUTO_ACCEPTED and sure.decided_by is None
        assert unsure.status == ReviewStatus.PENDING and unknown.status == ReviewStatus.PENDING
        assert TimeSaved.objects.get().automated is True
        assert AIDecision.objects.get(pk=decision.pk).override == "auto"

    def test_auto_mode_never_forces_a_failing_proposal(self, owner):
        reviews.set_auto_rule(company=owner.company, kind="tests.note", enabled=True, min_confidence=0.5)
        item = propose(owner.company, confidence=0.99, payload={"text": "x", "fail": True})
        assert item.status == ReviewStatus.PENDING
        assert "adresse e-mail" in item.last_error

    def test_auto_mode_is_refused_for_always_manual_kinds_and_silly_thresholds(self, company):
        with pytest.raises(reviews.ReviewError, match="toujours être validé"):
            reviews.set_auto_rule(company=company, kind="tests.manual_only", enabled=True, min_confidence=0.9)
        with pytest.raises(reviews.ReviewError, match="entre 50 % et 100 %"):
            reviews.set_auto_rule(company=company, kind="tests.note", enabled=True, min_confidence=0.2)


@pytest.mark.django_db
def test_creation_and_decision_emit_webhook_events(owner, django_capture_on_commit_callbacks):
    webhooks.create_endpoint(company=owner.company, url="http://127.0.0.1:9/hook", events=["review.created"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        item = propose(owner.company)
    for callback in callbacks:
        callback()  # delivery to a closed port fails and is retried later (no exception); the row exists
    deliveries = WebhookDelivery.objects.filter(company=owner.company)
    assert [d.event for d in deliveries] == ["review.created"]
    assert deliveries[0].payload["data"]["id"] == item.pk
    assert AuditEntry.objects.filter(company=owner.company, model="core.ReviewItem", action="create").exists()
