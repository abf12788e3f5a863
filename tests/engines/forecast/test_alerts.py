import datetime as dt
from decimal import Decimal

import pytest

from etabli.engines.forecast import (
    ActionKind,
    CashForecaster,
    CauseKind,
    FlowKind,
    Scenario,
    ScheduledFlow,
)
from tests.engines.forecast.helpers import plain, small_company

AS_OF = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def forecaster() -> CashForecaster:
    # salaries of 4 500 € paid on the 15th, rent on the 5th, a calm activity
    return CashForecaster(horizon_days=90, n_samples=600).fit(small_company(AS_OF), as_of=AS_OF)


FLOWS = [
    ScheduledFlow(dt.date(2026, 12, 10), Decimal("-18000.00"), "Facture FX-31", "Fournisseur X",
                  FlowKind.SUPPLIER_INVOICE, reference="FX-31"),
    ScheduledFlow(dt.date(2026, 12, 11), Decimal("21000.00"), "Facture F-2026-118", "Client Y",
                  FlowKind.CUSTOMER_INVOICE, reference="F-2026-118", optimistic_date=dt.date(2026, 12, 4),
                  pessimistic_date=dt.date(2027, 1, 20)),
]


def test_alert_with_causes_and_actions(forecaster):
    forecast = forecaster.predict({"principal": Decimal("24000.00")}, FLOWS, threshold=Decimal(10000))
    alert = forecast.first_alert(Scenario.PESSIMISTIC)
    assert alert is not None
    assert alert.date == dt.date(2026, 12, 10)
    assert alert.days_ahead == 13
    assert alert.balance < Decimal(10000) and alert.shortfall > 0
    message = plain(alert.message)
    assert message.startswith("Votre trésorerie passera sous 10 000 € dans 13 jours (le 10/12/2026, scénario "
                              "pessimiste) — cause : Fournisseur X")
    assert message.endswith("; encaissement attendu de Client Y à risque")
    kinds = [cause.kind for cause in alert.causes]
    assert kinds[0] is CauseKind.OUTFLOW and CauseKind.LATE_INFLOW in kinds
    assert any("Client Y" in cause.description and "à risque" in cause.description for cause in alert.causes)
    actions = {action.kind: action for action in alert.actions}
    assert "Relancer Client Y pour la facture F-2026-118" in plain(actions[ActionKind.REMIND_CUSTOMER].message)
    assert plain(actions[ActionKind.POSTPONE_SUPPLIER].message).startswith(
        "Demander à Fournisseur X de décaler le paiement de la facture FX-31 (18 000 €")
    credit = actions[ActionKind.CREDIT_LINE]
    assert credit.amount >= alert.shortfall and credit.amount % 1000 == 0
    assert "découvert autorisé ou une ligne de crédit" in credit.message


def test_salaries_are_named_among_the_causes():
    known_only = CashForecaster(horizon_days=60, n_samples=100, use_remainder=False)
    known_only.fit(small_company(AS_OF), as_of=AS_OF)
    forecast = known_only.predict({"principal": Decimal("5000.00")}, [])
    alert = forecast.first_alert(Scenario.REALISTIC)
    assert alert is not None and alert.date == dt.date(2026, 12, 15)
    salaries = [cause for cause in alert.causes if cause.kind is CauseKind.OUTFLOW and cause.date == alert.date]
    assert salaries and salaries[0].amount == Decimal("-4500.00")
    assert "cause : salaires du 15/12 et loyer du 07/12" in alert.message  # 5 December is a Saturday
    assert alert.balance == Decimal("-1300.00")


def test_no_alert_when_the_cash_is_comfortable(forecaster):
    forecast = forecaster.predict({"principal": Decimal("250000.00")}, FLOWS)
    assert forecast.alerts == ()
    assert forecast.threshold == Decimal("0.00")


def test_each_scenario_has_its_own_first_day(forecaster):
    forecast = forecaster.predict({"principal": Decimal("24000.00")}, FLOWS, threshold=Decimal(10000))
    dates = {alert.scenario: alert.date for alert in forecast.alerts if alert.account == ""}
    assert Scenario.PESSIMISTIC in dates
    for later in (Scenario.REALISTIC, Scenario.OPTIMISTIC):
        if later in dates:
            assert dates[later] >= dates[Scenario.PESSIMISTIC]


def test_an_account_alert_suggests_a_transfer_from_another_account():
    flows = [ScheduledFlow(dt.date(2026, 12, 9), Decimal("-6000.00"), "Facture B-4", "Béton Services",
                           FlowKind.SUPPLIER_INVOICE, reference="B-4", account="courant")]
    forecaster = CashForecaster(horizon_days=30, n_samples=100).fit([], as_of=AS_OF)
    forecast = forecaster.predict({"courant": Decimal("2000.00"), "épargne": Decimal("50000.00")}, flows)
    assert forecast.first_alert(Scenario.REALISTIC) is None  # the total stays positive
    alert = forecast.first_alert(Scenario.REALISTIC, account="courant")
    assert alert is not None and alert.date == dt.date(2026, 12, 9)
    assert plain(alert.message).startswith("Le compte « courant » passera sous 0 €")
    transfer = next(action for action in alert.actions if action.kind is ActionKind.TRANSFER)
    assert plain(transfer.message) == "Virer 4 000 € du compte « épargne » vers le compte « courant » avant le 09/12/2026"


def test_transfers_between_own_accounts_are_not_causes_and_accounts_alert_on_overdraft_only():
    flows = [
        ScheduledFlow(dt.date(2026, 12, 8), Decimal("-9000.00"), "Virement interne", "Compte épargne",
                      account="courant"),
        ScheduledFlow(dt.date(2026, 12, 8), Decimal("9000.00"), "Virement interne", "Compte courant",
                      account="épargne"),
        ScheduledFlow(dt.date(2026, 12, 9), Decimal("-7000.00"), "Facture C-9", "Carrières du Sud",
                      FlowKind.SUPPLIER_INVOICE, reference="C-9", account="courant"),
    ]
    forecaster = CashForecaster(horizon_days=30, n_samples=100).fit([], as_of=AS_OF)
    forecast = forecaster.predict({"courant": Decimal("20000.00"), "épargne": Decimal("5000.00")}, flows,
                                  threshold=Decimal("20000"))
    alert = forecast.first_alert(Scenario.REALISTIC)
    assert alert is not None and alert.date == dt.date(2026, 12, 9)
    assert [cause.counterparty for cause in alert.causes] == ["Carrières du Sud"]
    # « courant » falls to 4 000 €: under the 20 000 € threshold of the total, but not overdrawn
    assert forecast.first_alert(Scenario.REALISTIC, account="courant") is None
