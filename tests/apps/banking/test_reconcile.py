"""Every matching case through the review queue: the engine proposes, a person (or auto-mode) decides, and
accepting records the payment in billing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from etabli.banking.constants import REVIEW_MATCH, REVIEW_MATCH_CHOICE
from etabli.banking.models import BankLine, LineMatch, LineStatus
from etabli.banking.services import choose_match, import_file, reconcile_lines, set_category
from etabli.billing.selectors import open_invoices
from etabli.core.models import AIDecision, ReviewItem, ReviewStatus, TimeSaved
from etabli.core.services import reviews
from tests.apps.banking.conftest import customer_invoice, supplier_invoice, today
from tests.apps.banking.factories import cfonb_statement
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def statement(account, *entries, opening=Decimal("5000.00")):
    day = today() - dt.timedelta(days=1)
    rows = [{"date": day, "amount": Decimal(str(amount)), "label": label, **extra} for amount, label, *rest in entries
            for extra in (rest[0] if rest else {},)]
    return cfonb_statement(account.iban, opening, rows, start=day, end=day)


def run(company, account, *entries):
    return import_file(company=company, data=statement(account, *entries), filename="releve.txt")


def pending(company, kind=None):
    qs = ReviewItem.objects.filter(company=company, status=ReviewStatus.PENDING)
    return list(qs.filter(kind=kind) if kind else qs.filter(kind__in=(REVIEW_MATCH, REVIEW_MATCH_CHOICE)))


def status_of(company, invoice_id):
    views = {v.id: v for v in open_invoices(company=company)}
    return views[invoice_id].status if invoice_id in views else "paid"


@pytest.fixture
def owner_membership(bank_company):
    return make_member(bank_company, "owner")


def accept(item, membership, edits=None):
    return reviews.accept(item=item, user=membership.user, membership=membership, edits=edits)


def test_invoice_number_and_amount_give_a_confident_proposal_that_records_the_payment(
        bank_company, account, customers, owner_membership):
    invoice = customer_invoice(bank_company, customers["dupont"], "1000.00")
    report = run(bank_company, account, (1200, f"VIR SEPA DUPONT CONSTRUCTION {invoice.number}"))
    assert report.reconciliation["proposed"] == 1
    [item] = pending(bank_company)
    assert item.kind == REVIEW_MATCH and item.confidence >= 0.9
    assert any("numéro de facture" in reason for reason in item.reasons)
    assert any("montant identique" in reason for reason in item.reasons)
    assert item.ai_decision is not None and item.ai_decision.engine.endswith("Reconciler")
    line = BankLine.objects.get(company=bank_company)
    assert line.status == LineStatus.PROPOSED and line.review_item_id == item.pk
    accept(item, owner_membership)
    line.refresh_from_db()
    assert line.status == LineStatus.MATCHED and line.pcg_account == "411"
    assert line.matched_partner_name == "Dupont Construction SARL" and line.document_date == invoice.issue_date
    match = LineMatch.objects.get(line=line)
    assert (match.invoice_number, match.amount, match.source) == (invoice.number, Decimal("1200.00"), "validated")
    assert status_of(bank_company, invoice.id) == "paid"
    saved = TimeSaved.objects.get(company=bank_company, action="banking.match_validated")
    assert saved.minutes == Decimal("1.5") and not saved.automated and line.minutes_saved == Decimal("1.5")


def test_auto_mode_applies_a_clear_match_without_a_click(bank_company, account, customers):
    reviews.set_auto_rule(company=bank_company, kind=REVIEW_MATCH, enabled=True, min_confidence=0.9)
    invoice = customer_invoice(bank_company, customers["lemoine"], "500.00")
    report = run(bank_company, account, (600, f"VIR CABINET D ARCHITECTURE LEMOINE {invoice.number}"))
    assert report.reconciliation["auto_matched"] == 1 and not pending(bank_company)
    item = ReviewItem.objects.get(company=bank_company, kind=REVIEW_MATCH)
    assert item.status == ReviewStatus.AUTO_ACCEPTED
    assert status_of(bank_company, invoice.id) == "paid"
    assert LineMatch.objects.get(company=bank_company).source == "auto"
    saved = TimeSaved.objects.get(company=bank_company, action="banking.match_auto")
    assert saved.automated and saved.minutes == Decimal(3)
    assert AIDecision.objects.get(pk=item.ai_decision_id).override == "auto"


def test_without_auto_mode_even_a_sure_match_waits_for_a_person(bank_company, account, customers):
    invoice = customer_invoice(bank_company, customers["lemoine"], "500.00")
    run(bank_company, account, (600, f"VIR CABINET D ARCHITECTURE LEMOINE {invoice.number}"))
    assert len(pending(bank_company)) == 1
    assert status_of(bank_company, invoice.id) != "paid"


def test_a_fuzzy_name_and_the_amount_find_the_invoice(bank_company, account, customers, owner_membership):
    invoice = customer_invoice(bank_company, customers["tilleuls"], "2500.00")
    customer_invoice(bank_company, customers["dupont"], "800.00")
    run(bank_company, account, (3000, "VIR INST SCI LES TILEULS"))  # typo, no invoice number
    [item] = pending(bank_company)
    assert item.payload["allocations"][0]["number"] == invoice.number
    assert any("nom proche" in reason for reason in item.reasons)
    accept(item, owner_membership)
    assert status_of(bank_company, invoice.id) == "paid"


def test_one_line_paying_several_invoices(bank_company, account, customers, owner_membership):
    first = customer_invoice(bank_company, customers["dupont"], "1000.00")
    second = customer_invoice(bank_company, customers["dupont"], "450.00")
    customer_invoice(bank_company, customers["dupont"], "2000.00")
    run(bank_company, account, (1740, "VIR SEPA DUPONT CONSTRUCTION REGLEMENT"))
    [item] = pending(bank_company)
    assert sorted(a["number"] for a in item.payload["allocations"]) == sorted([first.number, second.number])
    assert any("règlement groupé de 2 factures" in reason for reason in item.reasons)
    accept(item, owner_membership)
    assert status_of(bank_company, first.id) == status_of(bank_company, second.id) == "paid"
    assert LineMatch.objects.filter(company=bank_company).count() == 2
    assert BankLine.objects.get(company=bank_company).minutes_saved == Decimal("2.5")  # 1.5 + 1 extra invoice


def test_several_lines_paying_one_invoice(bank_company, account, customers, owner_membership):
    invoice = customer_invoice(bank_company, customers["tilleuls"], "5000.00")  # 6 000 € TTC
    run(bank_company, account, (1800, f"VIR SCI LES TILLEULS ACOMPTE {invoice.number}"))
    [item] = pending(bank_company)
    assert item.payload["candidate_kind"] == "partial"
    assert any("paiement partiel" in reason for reason in item.reasons)
    accept(item, owner_membership)
    assert status_of(bank_company, invoice.id) == "partially_paid"
    day = today()
    import_file(company=bank_company, filename="r2.txt", data=cfonb_statement(account.iban, Decimal("6800.00"), [
        {"date": day, "amount": Decimal("4200.00"), "label": f"VIR SCI LES TILLEULS SOLDE {invoice.number}"}],
        start=day, end=day))
    [second] = pending(bank_company)
    assert Decimal(second.payload["allocations"][0]["remaining"]) == 0
    accept(second, owner_membership)
    assert status_of(bank_company, invoice.id) == "paid"


def test_bank_fees_deducted_by_the_customer_are_booked_to_627(bank_company, account, customers, owner_membership):
    invoice = customer_invoice(bank_company, customers["lemoine"], "1500.00")  # 1 800 € TTC
    run(bank_company, account, ("1787.50", f"VIR CABINET LEMOINE {invoice.number}"))
    [item] = pending(bank_company)
    assert item.payload["writeoff_account"] == "627"
    assert any("frais bancaires probables" in reason for reason in item.reasons)
    accept(item, owner_membership)
    assert status_of(bank_company, invoice.id) == "paid"
    match = LineMatch.objects.get(company=bank_company)
    assert (match.writeoff_amount, match.writeoff_account) == (Decimal("12.50"), "627")


def test_a_supplier_payment_is_matched_to_the_supplier_invoice(bank_company, account, scierie, owner_membership):
    bill = supplier_invoice(bank_company, scierie, "SCI2611-0049", "2000.00")
    run(bank_company, account, (-2400, "VIR SEPA SCIERIE DU VAL DE LOIRE SCI2611-0049"))
    [item] = pending(bank_company)
    assert item.payload["allocations"][0]["kind"] == "supplier"
    accept(item, owner_membership)
    line = BankLine.objects.get(company=bank_company)
    assert line.pcg_account == "401" and status_of(bank_company, bill.id) == "paid"


def test_two_equally_likely_invoices_are_never_applied_automatically(bank_company, account, customers, owner_membership):
    reviews.set_auto_rule(company=bank_company, kind=REVIEW_MATCH, enabled=True, min_confidence=0.9)
    first = customer_invoice(bank_company, customers["dupont"], "1000.00")
    second = customer_invoice(bank_company, customers["dupont"], "1000.00")
    run(bank_company, account, (1200, "VIR SEPA DUPONT CONSTRUCTION"))
    [item] = pending(bank_company)
    assert item.kind == REVIEW_MATCH_CHOICE
    numbers = {item.payload["allocations"][0]["number"], *(n for alt in item.payload["alternatives"] for n in alt["numbers"])}
    assert {first.number, second.number} <= numbers
    # the person picks the other one by editing the proposal
    other = second.number if item.payload["invoices"] == first.number else first.number
    accepted = accept(item, owner_membership, edits={"invoices": other})
    assert accepted.status == ReviewStatus.EDITED
    assert status_of(bank_company, {first.number: first.id, second.number: second.id}[other]) == "paid"


def test_a_refused_proposal_gives_the_line_back_and_is_not_proposed_again(bank_company, account, customers, owner_membership):
    customer_invoice(bank_company, customers["tilleuls"], "2500.00")
    run(bank_company, account, (3000, "VIR INST SCI LES TILLEULS"))
    [item] = pending(bank_company)
    reviews.reject(item=item, user=owner_membership.user, membership=owner_membership, reason="C'est un autre chantier")
    line = BankLine.objects.get(company=bank_company)
    assert line.status == LineStatus.UNMATCHED and line.rejected
    reconcile_lines(company=bank_company)
    assert not pending(bank_company)


def test_learned_alias_from_a_past_match(bank_company, account, customers, owner_membership):
    first = customer_invoice(bank_company, customers["dupont"], "700.00")
    run(bank_company, account, (840, "VIR SEPA DPT CSTR 4471"))
    line = BankLine.objects.get(company=bank_company)
    for item in pending(bank_company):
        reviews.reject(item=item, user=owner_membership.user, membership=owner_membership)
    line.refresh_from_db()
    choose_match(company=bank_company, line=line, numbers=[first.number], user=owner_membership.user,
                 membership=owner_membership)
    line.refresh_from_db()
    assert line.status == LineStatus.MATCHED
    second = customer_invoice(bank_company, customers["dupont"], "935.00")
    customer_invoice(bank_company, customers["lemoine"], "935.00")  # same amount, other customer
    import_file(company=bank_company, filename="r2.txt", data=cfonb_statement(account.iban, Decimal("5840.00"), [
        {"date": today(), "amount": Decimal("1122.00"), "label": "VIR SEPA DPT CSTR 4471"}], start=today(), end=today()))
    [item] = pending(bank_company)
    assert item.payload["allocations"][0]["number"] == second.number
    assert any("déjà rapproché" in reason for reason in item.reasons)


def test_a_payment_recorded_elsewhere_meanwhile_makes_acceptance_fail_cleanly(bank_company, account, customers,
                                                                           owner_membership):
    from etabli.billing.services import record_payment

    invoice = customer_invoice(bank_company, customers["lemoine"], "500.00")
    run(bank_company, account, (600, f"VIR LEMOINE {invoice.number}"))
    [item] = pending(bank_company)
    record_payment(company=bank_company, invoice_id=invoice.id, amount=Decimal("600.00"), date=today(), method="cheque")
    with pytest.raises(reviews.ReviewApplyError, match="dépasse le reste dû"):
        accept(item, owner_membership)
    item.refresh_from_db()
    assert item.status == ReviewStatus.PENDING and "dépasse" in item.last_error
    assert not LineMatch.objects.filter(company=bank_company).exists()
    assert BankLine.objects.get(company=bank_company).status == LineStatus.PROPOSED


def test_lines_without_invoice_get_a_category_and_the_time_saved(bank_company, account):
    run(bank_company, account, (-9300, "PRLV SEPA URSSAF PAYS DE LA LOIRE"), (-2400, "PRLV SEPA SCI DES ARTISANS LOYER"),
        (-38.90, "FRAIS TENUE DE COMPTE"), (-61.20, "CB QUINCAILLERIE MARTIN 12/11"))
    rows = {row.label.split()[2 if row.label.startswith("PRLV") else 1]: row
            for row in BankLine.objects.filter(company=bank_company)}
    assert (rows["URSSAF"].category, rows["URSSAF"].pcg_account) == ("charges_sociales", "431")
    assert rows["SCI"].category == "loyer"
    assert rows["TENUE"].pcg_account == "627"
    assert rows["QUINCAILLERIE"].status == LineStatus.UNMATCHED
    urssaf = rows["URSSAF"]
    assert urssaf.category_source == "règle par défaut" and "URSSAF" in urssaf.category_reason
    assert TimeSaved.objects.get(company=bank_company, action="banking.line_categorised").minutes == Decimal(3)


def test_the_owner_categorises_a_line_and_makes_it_a_rule(bank_company, account, owner_membership):
    run(bank_company, account, (-61.20, "CB QUINCAILLERIE MARTIN 12/11"))
    line = BankLine.objects.get(company=bank_company)
    set_category(company=bank_company, line=line, category="fournitures", user=owner_membership.user,
                 membership=owner_membership, create_rule=True, pattern="QUINCAILLERIE")
    line.refresh_from_db()
    assert line.category_confirmed and line.category_source == "manuel" and line.pcg_account == "6063"
    import_file(company=bank_company, filename="r2.txt", data=cfonb_statement(account.iban, Decimal("4938.80"), [
        {"date": today(), "amount": Decimal("-35.00"), "label": "CB QUINCAILLERIE MARTIN 20/11"}], start=today(), end=today()))
    new = BankLine.objects.get(company=bank_company, amount=Decimal("-35.00"))
    assert new.category == "fournitures" and new.category_source == "règle"


def test_the_classifier_learns_the_company_s_own_labels(bank_company, account, owner_membership):
    # 24 lines the owner categorised; labels no default rule knows
    day = today() - dt.timedelta(days=60)
    history = []
    for i in range(12):
        history.append({"date": day + dt.timedelta(days=i), "amount": Decimal("-45.00"), "label": f"CB BOIS ET MATERIAUX ZA{i}"})
        history.append({"date": day + dt.timedelta(days=i), "amount": Decimal("-19.90"), "label": f"CB RELAIS ROUTIER A{i}"})
    import_file(company=bank_company, filename="h.txt", data=cfonb_statement(account.iban, Decimal("5000.00"), history,
                                                                             start=day, end=day + dt.timedelta(days=11)))
    for line in BankLine.objects.filter(company=bank_company):
        category = "fournitures" if "BOIS" in line.label else "receptions"
        set_category(company=bank_company, line=line, category=category, user=owner_membership.user,
                     membership=owner_membership)
    import_file(company=bank_company, filename="n.txt", data=cfonb_statement(account.iban, Decimal("4225.20"), [
        {"date": today(), "amount": Decimal("-52.00"), "label": "CB BOIS ET MATERIAUX ZB7"}], start=today(), end=today()))
    new = BankLine.objects.get(company=bank_company, amount=Decimal("-52.00"))
    assert new.category == "fournitures" and new.category_source in ("modèle", "règle apprise")
