from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from etabli.engines.matching import MatchingConfig, MatchingError, MatchMemory, PastMatch, Reconciler
from tests.engines.matching.helpers import TODAY, book, invoice, line


def reconcile(lines, items=None, **kwargs):
    return Reconciler(**kwargs).reconcile(lines, items if items is not None else book())


def test_exact_amount_and_name_is_auto_matched_with_reasons():
    (result,) = reconcile([line("1200.00", "VIR SEPA RECU /DE DUPONT CONSTRUCTION")])
    assert result.decision == "auto"
    assert result.best.item_ids == ("c1",)
    assert result.best.reasons[0] == "montant identique (1\u202f200,00\xa0€)"
    assert "nom proche de « Dupont Construction SARL » (100\xa0%)" in result.best.reasons
    assert "3 jours après l'échéance" in result.best.reasons
    assert result.best.confidence >= 0.9 and result.best.difference == Decimal("0.00")
    assert result.minutes_saved == 3.0
    assert result.explanation.startswith("Rapprochement automatique")


@pytest.mark.parametrize(
    "written", ["FA-2026-0042", "FA 2026 0042", "fa20260042", "FA2026-0042", "2026-0042"]
)
def test_invoice_number_is_found_however_it_is_written(written):
    (result,) = reconcile([line("1200.00", f"VIR SEPA RECU {written}")])
    assert result.decision == "auto" and result.best.item_ids == ("c1",)
    assert any("FA-2026-0042 dans le libellé" in reason for reason in result.best.reasons)


def test_identical_amount_alone_is_only_a_suggestion():
    (result,) = reconcile([line("3000.00", "REMISE CHEQUE N 1234567")])
    assert result.decision == "suggestion"
    assert result.best.item_ids == ("c7",)
    assert 0.3 < result.best.confidence < 0.9
    assert "sous le seuil" in result.explanation


def test_same_amount_for_two_customers_without_a_name_is_ambiguous():
    (result,) = reconcile([line("450.00", "VIR SEPA RECU /DE M X")])
    assert result.decision == "suggestion"
    assert {c.item_ids for c in result.candidates[:2]} == {("c2",), ("c3",)}
    assert result.candidates[0].confidence == result.candidates[1].confidence


def test_same_amount_for_two_customers_with_a_name_picks_the_right_one():
    (result,) = reconcile([line("450.00", "VIR SEPA RECU /DE MARTIN TP")])
    assert result.decision == "auto" and result.best.item_ids == ("c3",)
    assert result.candidates[1].item_ids == ("c2",)


def test_ambiguous_close_candidates_are_never_auto_matched():
    items = [
        invoice("a", "FA-1001", "Dupont Construction", "800.00"),
        invoice("b", "FA-1002", "Dupont Construction", "800.00", due=TODAY - timedelta(days=4)),
    ]
    (result,) = reconcile([line("800.00", "VIR DUPONT CONSTRUCTION")], items)
    assert result.best.confidence >= 0.9  # each one alone would be auto-matched …
    assert result.decision == "suggestion"  # … but they are indistinguishable
    assert "trop proches" in result.explanation


def test_bank_fees_deducted():
    (result,) = reconcile([line("1187.50", "VIR INTL DUPONT CONSTRUCTION FA-2026-0042")])
    best = result.best
    assert result.decision == "auto" and best.item_ids == ("c1",)
    assert best.difference == Decimal("-12.50") and best.writeoff_account == "627"
    assert best.allocations[0].amount == Decimal("1200.00") and best.allocations[0].remaining == 0
    assert best.reasons[0] == "montant à 12,50\xa0€ près (frais bancaires probables)"


def test_fee_tolerance_is_bounded():
    (result,) = reconcile([line("1100.00", "VIR DUPONT CONSTRUCTION")])
    assert all(c.writeoff_account is None for c in result.candidates)


def test_one_line_paying_several_invoices():
    (result,) = reconcile([line("1000.00", "VIR SEPA RECU /DE SCI LES TILLEULS")])
    best = result.best
    assert best.kind == "group"
    assert set(best.item_ids) == {"c4", "c5", "c6"}
    assert sum(a.amount for a in best.allocations) == Decimal("1000.00")
    assert any("règlement groupé de 3 factures" in r and "seule combinaison" in r for r in best.reasons)
    assert result.decision == "auto"
    assert result.minutes_saved == 3.0 + 2 * 1.0


def test_grouped_payment_with_several_combinations_is_not_auto_matched():
    items = [
        invoice("a", "FA-1", "Garage du Centre", "100.00"),
        invoice("b", "FA-2", "Garage du Centre", "200.00"),
        invoice("c", "FA-3", "Garage du Centre", "150.00"),
        invoice("d", "FA-4", "Garage du Centre", "150.00"),
    ]
    (result,) = reconcile([line("300.00", "VIR GARAGE DU CENTRE")], items)
    assert result.decision == "suggestion"
    assert any("combinaisons donnent ce montant" in r for c in result.candidates for r in c.reasons)


def test_grouped_payment_with_a_credit_note():
    items = [
        invoice("a", "FA-2026-0101", "Garage du Centre", "1000.00"),
        invoice("b", "FA-2026-0102", "Garage du Centre", "640.00"),
        invoice("n", "AV-2026-0003", "Garage du Centre", "-140.00"),
    ]
    (result,) = reconcile([line("1500.00", "VIR GARAGE DU CENTRE")], items)
    assert set(result.best.item_ids) == {"a", "b", "n"}
    assert result.decision == "auto"


def test_invoice_numbers_listed_for_a_grouped_payment():
    (result,) = reconcile([line("1000.00", "VIR FA-2026-0045 FA-2026-0046 FA-2026-0047")])
    assert set(result.best.item_ids) == {"c4", "c5", "c6"} and result.decision == "auto"
    assert any(
        r.startswith("numéros de facture FA-2026-0045, FA-2026-0046, FA-2026-0047")
        for r in result.best.reasons
    )


def test_several_lines_paying_one_invoice():
    first = line("900.00", "VIR GARAGE DU CENTRE ACOMPTE FA-2026-0048", day=TODAY)
    second = line("2100.00", "VIR GARAGE DU CENTRE SOLDE FA-2026-0048", day=TODAY + timedelta(days=15))
    deposit, balance = reconcile([first, second])
    assert deposit.decision == "auto" and deposit.best.kind == "partial"
    assert deposit.best.allocations[0].amount == Decimal("900.00")
    assert deposit.best.allocations[0].remaining == Decimal("2100.00")
    assert any(
        "paiement partiel : 900,00\xa0€ sur 3\u202f000,00\xa0€, reste 2\u202f100,00\xa0€" in r
        for r in deposit.best.reasons
    )
    assert any("30 % de la facture" in r for r in deposit.best.reasons)
    # The second payment is compared with what remains due: an exact match of the rest.
    assert balance.decision == "auto" and balance.best.item_ids == ("c7",)
    assert balance.best.kind == "single" and balance.best.allocations[0].remaining == 0


def test_partial_payment_without_any_identity_is_not_proposed():
    (result,) = reconcile([line("900.00", "REMISE CHEQUE N 7654321")])
    assert all(candidate.kind != "partial" for candidate in result.candidates)


def test_an_invoice_is_not_matched_twice():
    lines = [line("1200.00", "VIR FA-2026-0042 DUPONT"), line("1200.00", "VIR DUPONT CONSTRUCTION")]
    first, second = reconcile(lines)
    assert first.decision == "auto" and first.best.item_ids == ("c1",)
    assert second.decision != "auto" or second.best.item_ids != ("c1",)
    assert all(c.item_ids != ("c1",) for c in second.candidates)


def test_a_label_citing_another_invoice_lowers_the_others():
    (result,) = reconcile([line("1200.00", "VIR DUPONT CONSTRUCTION POUR FA-2026-0049")])
    assert result.best.item_ids == ("c8",) and result.decision == "auto"
    dupont = next(c for c in result.candidates if c.item_ids == ("c1",))
    assert any("cite une autre facture (FA-2026-0049)" in r for r in dupont.reasons)


def test_learned_alias_from_past_matches():
    label = "VIR SEPA RECU /DE HOLDING DPT INVEST"
    (without,) = reconcile([line("1200.00", label)])
    assert without.decision == "suggestion"
    memory = MatchMemory().fit(
        [
            ("VIR SEPA RECU /DE HOLDING DPT INVEST FA-2025-0007", "Dupont Construction SARL"),
            PastMatch(label="HOLDING DPT INVEST REGLEMENT", partner="Dupont Construction SARL"),
        ]
    )
    (learned,) = reconcile([line("1200.00", label)], memory=memory)
    assert learned.best.item_ids == ("c1",) and learned.decision == "auto"
    assert any("déjà rapproché de « Dupont Construction SARL » (2 fois)" in r for r in learned.best.reasons)


def test_known_iban_of_the_customer():
    items = [invoice("a", "FA-9", "Leblanc Isabelle", "640.00", partner_iban="FR7630006000011234567890189")]
    (result,) = reconcile(
        [line("640.00", "VIR SEPA RECU", counterparty_iban="FR7630006000011234567890189")], items
    )
    assert "IBAN connu du client" in result.best.reasons and result.decision == "auto"


def test_counterparty_name_from_the_bank_is_used():
    (result,) = reconcile([line("1200.00", "VIR SEPA RECU", counterparty_name="LEBLANC ISABELLE")])
    assert result.best.item_ids == ("c8",) and result.decision == "auto"


def test_supplier_direct_debit():
    (result,) = reconcile([line("-389.43", "PRLV SEPA SCIERIE DU JURA")])
    assert result.decision == "auto" and result.best.item_ids == ("s1",)
    assert result.best.allocations[0].amount == Decimal("-389.43")


def test_a_payment_before_the_invoice_date_is_penalised():
    items = [
        invoice(
            "a",
            "FA-7",
            "Garage du Centre",
            "640.00",
            due=TODAY + timedelta(days=60),
            issued=TODAY + timedelta(days=30),
        )
    ]
    (result,) = reconcile([line("640.00", "VIR GARAGE DU CENTRE")], items)
    assert any(r.startswith("paiement antérieur à la facture du") for r in result.best.reasons)
    assert result.decision == "suggestion"


def test_auto_mode_switched_off():
    (result,) = reconcile([line("1200.00", "VIR FA-2026-0042")], config=MatchingConfig(auto_enabled=False))
    assert result.decision == "suggestion" and "désactivé" in result.explanation
    assert result.minutes_saved == 1.5


def test_lines_without_invoice_get_a_category_even_with_a_same_amount_invoice():
    results = reconcile([line("-59.99", "PRLV SEPA URSSAF ILE DE FRANCE"), line("-245.18", "PRLV EDF PRO")])
    urssaf, edf = results
    assert urssaf.decision == "category" and urssaf.category.pcg_account == "431"
    assert urssaf.candidates and "rien d'autre ne la relie" in urssaf.explanation
    assert edf.decision == "category" and edf.category.code == "energie" and edf.minutes_saved == 1.0


def test_unknown_line_is_left_to_the_owner():
    (result,) = reconcile([line("-77.77", "XYZ")])
    assert result.decision == "unmatched" and result.category is None and result.minutes_saved == 0


def test_results_keep_the_order_of_the_lines():
    lines = [line("-77.77", "XYZ"), line("1200.00", "VIR FA-2026-0042"), line("450.00", "VIR MARTIN TP")]
    assert [result.index for result in reconcile(lines)] == [0, 1, 2]


def test_candidates_for_a_single_line():
    candidates = Reconciler().candidates_for(line("1200.00", "VIR DUPONT"), book())
    assert candidates[0].item_ids == ("c1",)


def test_bad_open_items_are_refused():
    items = book()
    with pytest.raises(MatchingError, match="deux fois"):
        reconcile([line("1.00", "X")], items + [items[0]])
    with pytest.raises(MatchingError, match="inconnu"):
        reconcile([line("1.00", "X")], [invoice("z", "FA-1", "X", "1.00", kind="client")])
