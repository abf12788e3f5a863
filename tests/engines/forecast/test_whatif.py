import datetime as dt
from decimal import Decimal

import pytest

from etabli.engines.forecast import (
    CashForecaster,
    ChangeAction,
    FlowChange,
    FlowKind,
    Scenario,
    ScheduledFlow,
    WhatIfError,
    parse_change,
    what_if,
)
from etabli.engines.spending import DayRule, Period
from tests.engines.forecast.helpers import difference, plain, small_company

TODAY = dt.date(2026, 11, 26)
CENT = Decimal("0.01")


def test_parse_vehicle_purchase():
    change = parse_change("achat véhicule 25 000 € le 15/01", today=TODAY)
    assert change.action is ChangeAction.ADD
    assert change.amount == Decimal("-25000.00")
    assert change.date == dt.date(2027, 1, 15)
    assert change.label == "achat véhicule" and change.recurrence is None
    assert plain(change.explanation) == "Ajout d'une sortie de 25 000,00 € le 15/01/2027 (achat véhicule)."


def test_parse_hiring_every_month_from_february():
    change = parse_change("embauche 2 500 €/mois à partir de février", today=TODAY)
    assert (change.action, change.amount, change.recurrence) == (ChangeAction.ADD, Decimal("-2500.00"), Period.MONTHLY)
    assert change.day_rule is DayRule.LAST_BUSINESS_DAY
    assert change.date == dt.date(2027, 2, 26)  # last business day of February 2027
    assert "coût employeur" in change.explanation
    # a company that pays on the 28th gets its new salary on the 28th
    fixed = parse_change("embauche 2 500 €/mois à partir de février", today=TODAY,
                         salary_rule=(DayRule.FIXED_DAY, 28))
    assert fixed.date == dt.date(2027, 2, 28)


def test_parse_lost_contract_and_moved_payment():
    lost = parse_change("perte du chantier Dupont 80 000 €", today=TODAY)
    assert (lost.action, lost.amount, lost.target, lost.sign) == (ChangeAction.REMOVE, Decimal("80000.00"),
                                                                  "dupont", 1)
    moved = parse_change("décaler le paiement fournisseur X au 30/01", today=TODAY)
    assert (moved.action, moved.target, moved.date, moved.sign) == (ChangeAction.MOVE, "x", dt.date(2027, 1, 30), -1)


@pytest.mark.parametrize(
    ("text", "amount", "day", "period"),
    [
        ("encaissement subvention 12k€ fin mars", Decimal("12000.00"), dt.date(2027, 3, 31), None),
        ("vente machine +8 000 euros dans 2 semaines", Decimal("8000.00"), dt.date(2026, 12, 10), None),
        ("abonnement logiciel 49,90 € par mois dès le 5 janvier", Decimal("-49.90"), dt.date(2027, 1, 5),
         Period.MONTHLY),
        ("prêt de 1,5 M€ le 2 mars 2027", Decimal("1500000.00"), dt.date(2027, 3, 2), None),
    ],
)
def test_parse_other_sentences(text, amount, day, period):
    change = parse_change(text, today=TODAY)
    assert (change.amount, change.date, change.recurrence) == (amount, day, period)


def test_unclear_sentences_are_refused_with_an_example():
    with pytest.raises(WhatIfError, match="Montant introuvable.*achat véhicule"):
        parse_change("acheter un camion bientôt", today=TODAY)
    with pytest.raises(WhatIfError, match="nouvelle date"):
        parse_change("décaler le paiement fournisseur X", today=TODAY)
    with pytest.raises(WhatIfError, match="Date impossible"):
        parse_change("achat 500 € le 31/02", today=TODAY)
    with pytest.raises(WhatIfError, match="indiquez un montant"):
        FlowChange(ChangeAction.ADD, "achat", None, TODAY)


@pytest.fixture(scope="module")
def fitted() -> CashForecaster:
    as_of = dt.date(2026, 12, 15)
    return CashForecaster(horizon_days=120, n_samples=400).fit(small_company(as_of), as_of=as_of)


FLOWS = [
    ScheduledFlow(dt.date(2027, 1, 12), Decimal("-12000.00"), "Facture FX-7", "Fournisseur X",
                  FlowKind.SUPPLIER_INVOICE, reference="FX-7"),
    ScheduledFlow(dt.date(2027, 2, 3), Decimal("80000.00"), "Situation n°2", "Dupont BTP",
                  FlowKind.CUSTOMER_INVOICE, reference="Chantier Dupont"),
]
BALANCES = {"principal": Decimal("40000.00")}


def test_effect_of_a_purchase(fitted):
    result = what_if(fitted, BALANCES, FLOWS, ["achat véhicule 25 000 € le 15/01"])
    for scenario in Scenario:
        assert difference(result.baseline, result.variant, dt.date(2027, 1, 14), scenario) == 0
        assert abs(difference(result.baseline, result.variant, dt.date(2027, 1, 15), scenario) + 25000) <= CENT
        assert abs(result.comparison.scenario(scenario).end_difference + 25000) <= CENT
    assert "Point bas réaliste" in result.comparison.summary


def test_effect_of_a_hiring(fitted):
    # this company pays its salaries on the 15th: the new salary follows the same rule
    result = what_if(fitted, BALANCES, FLOWS, ["embauche 2 500 €/mois à partir de février"])
    assert result.changes[0].date == dt.date(2027, 2, 15)
    realistic = Scenario.REALISTIC
    assert difference(result.baseline, result.variant, dt.date(2027, 2, 12), realistic) == 0
    assert abs(difference(result.baseline, result.variant, dt.date(2027, 2, 15), realistic) + 2500) <= CENT
    assert abs(difference(result.baseline, result.variant, dt.date(2027, 3, 15), realistic) + 5000) <= CENT
    added = [flow for flow in result.variant.flows if flow.kind is FlowKind.MANUAL]
    assert [flow.date for flow in added] == [dt.date(2027, 2, 15), dt.date(2027, 3, 15)]


def test_effect_of_a_lost_contract_matching_an_open_invoice(fitted):
    result = what_if(fitted, BALANCES, FLOWS, ["perte du chantier Dupont 80 000 €"])
    assert not [flow for flow in result.variant.flows if flow.counterparty == "Dupont BTP"]
    assert difference(result.baseline, result.variant, dt.date(2027, 2, 2), Scenario.REALISTIC) == 0
    assert abs(difference(result.baseline, result.variant, dt.date(2027, 2, 3), Scenario.REALISTIC) + 80000) <= CENT


def test_a_lost_contract_without_a_matching_flow_is_spread_over_the_horizon(fitted):
    result = what_if(fitted, BALANCES, FLOWS, ["perte du chantier Martin 30 000 €"])
    end = result.comparison.scenario(Scenario.REALISTIC).end_difference
    middle = difference(result.baseline, result.variant, dt.date(2027, 2, 12), Scenario.REALISTIC)
    assert abs(end + 30000) <= CENT
    assert Decimal(-20000) < middle < Decimal(-10000)
    assert any("répartis sur les 120 jours" in note for note in result.variant.notes)


def test_effect_of_moving_a_supplier_payment(fitted):
    result = what_if(fitted, BALANCES, FLOWS, ["décaler le paiement fournisseur X au 30/01"])
    realistic = Scenario.REALISTIC
    assert difference(result.baseline, result.variant, dt.date(2027, 1, 11), realistic) == 0
    assert abs(difference(result.baseline, result.variant, dt.date(2027, 1, 20), realistic) - 12000) <= CENT
    # 30 January 2027 is a Saturday: the transfer leaves on Monday 1 February
    assert abs(difference(result.baseline, result.variant, dt.date(2027, 1, 31), realistic) - 12000) <= CENT
    assert abs(difference(result.baseline, result.variant, dt.date(2027, 2, 1), realistic)) <= CENT


def test_structured_changes_and_errors(fitted):
    change = FlowChange(ChangeAction.ADD, "nouvelle machine", Decimal(-9000), dt.date(2027, 1, 4))
    result = what_if(fitted, BALANCES, FLOWS, [change])
    assert abs(result.comparison.scenario(Scenario.PESSIMISTIC).end_difference + 9000) <= CENT
    with pytest.raises(WhatIfError, match="Aucun flux prévu ne correspond à « inconnu »"):
        what_if(fitted, BALANCES, FLOWS, ["décaler le paiement fournisseur Inconnu au 30/01"])
    with pytest.raises(WhatIfError, match="au moins un changement"):
        what_if(fitted, BALANCES, FLOWS, [])
