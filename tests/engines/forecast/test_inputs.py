"""Bad input is refused with a clear French message, never turned into a silent wrong forecast."""

import datetime as dt
from decimal import Decimal

import pytest

from etabli.engines.forecast import CashForecaster, FlowKind, ForecastError, ScheduledFlow
from etabli.engines.spending import BankLine

AS_OF = dt.date(2026, 11, 27)


@pytest.fixture
def fitted() -> CashForecaster:
    lines = [BankLine(AS_OF - dt.timedelta(days=3), Decimal("-100.00"), "CB", "", "", "courant")]
    return CashForecaster(horizon_days=30, n_samples=100).fit(lines, as_of=AS_OF)


def test_balances_must_be_given_as_decimals_for_every_account(fitted):
    with pytest.raises(ForecastError, match="Indiquez le solde du jour de chaque compte"):
        fitted.predict({})
    with pytest.raises(ForecastError, match="un Decimal est attendu"):
        fitted.predict({"courant": 1500.0})
    with pytest.raises(ForecastError, match="compte « courant » dont le solde du jour n'est pas indiqué"):
        fitted.predict({"épargne": Decimal(10)})


def test_flows_are_checked(fitted):
    balances = {"courant": Decimal(1000)}
    with pytest.raises(ForecastError, match="n'est pas un ScheduledFlow"):
        fitted.predict(balances, [{"date": "2026-12-01", "amount": "10"}])
    with pytest.raises(ForecastError, match="Compte inconnu : « livret »"):
        fitted.predict(balances, [ScheduledFlow(dt.date(2026, 12, 1), Decimal(10), "x", account="livret")])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": Decimal(0)}, "montant nul"),
        ({"amount": 12.5}, "un Decimal est attendu"),
        ({"date": "2026-12-01"}, "Date de flux invalide"),
        ({"optimistic_date": dt.date(2026, 12, 20)}, "dans le désordre"),
        ({"pessimistic_date": dt.date(2026, 12, 1)}, "dans le désordre"),
        ({"delay_distribution": ((0, 0.7), (10, 0.6))}, "totaliser au plus 1"),
        ({"delay_distribution": ((0, 0.5),), "pessimistic_date": dt.date(2027, 1, 5)}, "pas les deux"),
        ({"kind": "facture"}, "Type de flux inconnu"),
    ],
)
def test_scheduled_flow_validation(kwargs, message):
    values = {"date": dt.date(2026, 12, 10), "amount": Decimal(500), "label": "Facture F-1",
              "kind": FlowKind.CUSTOMER_INVOICE}
    values.update(kwargs)
    with pytest.raises(ForecastError, match=message):
        ScheduledFlow(**values)


def test_history_and_settings_are_checked():
    with pytest.raises(ForecastError, match="entre 1 et 366"):
        CashForecaster(horizon_days=400)
    with pytest.raises(ForecastError, match="entre 0,1 et 1"):
        CashForecaster(band=1.5)
    with pytest.raises(ForecastError, match="d'abord être calée"):
        CashForecaster().predict({"courant": Decimal(1)})
    late = [BankLine(AS_OF + dt.timedelta(days=2), Decimal(10), "VIR")]
    with pytest.raises(ForecastError, match="postérieures au 27/11/2026"):
        CashForecaster().fit(late, as_of=AS_OF)
    with pytest.raises(ForecastError, match="indiquez la date du jour"):
        CashForecaster().fit([])
    with pytest.raises(ForecastError, match="n'est pas une ligne bancaire"):
        CashForecaster().fit(["2026-11-01;-10;CB"], as_of=AS_OF)


def test_an_overdue_expected_payment_is_moved_to_tomorrow_and_noted(fitted):
    overdue = ScheduledFlow(dt.date(2026, 11, 2), Decimal(3000), "Facture F-7", "Client lent",
                            FlowKind.CUSTOMER_INVOICE)
    forecast = fitted.predict({"courant": Decimal(0)}, [overdue])
    assert forecast.flows[0].date == dt.date(2026, 11, 30)  # next bank day after Friday 27 November
    assert any("déjà passé" in note for note in forecast.notes)
