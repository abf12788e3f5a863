import datetime as dt
import json
from decimal import Decimal

from etabli.engines.forecast import CashForecaster, FlowKind, Scenario, ScheduledFlow, forecast_cash
from etabli.engines.forecast.synthetic import Profile, generate_company
from tests.engines.forecast.helpers import CALENDAR, assert_ordered, small_company

AS_OF = dt.date(2026, 11, 27)


def test_scenarios_are_ordered_per_account_and_in_total():
    company = generate_company(Profile.SEASONAL, seed=4, years=2, two_accounts=True)
    as_of = dt.date(2022, 10, 14)
    forecaster = CashForecaster(horizon_days=90, n_samples=300).fit(company.lines_until(as_of), as_of=as_of)
    forecast = forecaster.predict(company.balances_at(as_of), company.open_flows_at(as_of))
    assert [series.account for series in forecast.accounts] == ["principal", "secondaire"]
    assert len(forecast.total.days) == 90
    assert forecast.total.days[0].date == as_of + dt.timedelta(days=1)
    assert_ordered(forecast)
    # the band opens with the horizon: it is wider at 90 days than at 7 days
    first, last = forecast.total.days[6], forecast.total.days[-1]
    assert last.optimistic - last.pessimistic > first.optimistic - first.pessimistic > 0


def test_same_inputs_and_seed_give_the_same_forecast():
    lines = small_company(AS_OF)
    balances = {"principal": Decimal("25000.00")}
    first = forecast_cash(lines, balances, as_of=AS_OF, seed=7).to_dict()
    second = forecast_cash(lines, balances, as_of=AS_OF, seed=7).to_dict()
    assert first == second


def test_certain_flows_only_give_three_equal_scenarios_on_bank_days():
    flows = [
        ScheduledFlow(dt.date(2026, 12, 5), Decimal("-3000.00"), "Facture FA-12", "Bois du Nord",
                      FlowKind.SUPPLIER_INVOICE, reference="FA-12"),  # a Saturday: paid Monday 7
        ScheduledFlow(dt.date(2026, 12, 10), Decimal("4500.00"), "Acompte", "Mairie de Vals", FlowKind.MANUAL),
    ]
    forecaster = CashForecaster(horizon_days=30, n_samples=100).fit([], as_of=AS_OF)
    forecast = forecaster.predict({"principal": Decimal("10000.00")}, flows)
    values = {day.date: day for day in forecast.total.days}
    assert values[dt.date(2026, 12, 5)].realistic == Decimal("10000.00")
    assert values[dt.date(2026, 12, 7)].realistic == Decimal("7000.00")
    assert values[dt.date(2026, 12, 10)].realistic == Decimal("11500.00")
    assert all(day.pessimistic == day.realistic == day.optimistic for day in forecast.total.days)
    assert [flow.date for flow in forecast.flows] == [dt.date(2026, 12, 7), dt.date(2026, 12, 10)]


def test_payment_date_uncertainty_opens_the_band_only_while_the_payment_is_uncertain():
    invoice = ScheduledFlow(dt.date(2026, 12, 15), Decimal("10000.00"), "Facture F-88", "Client Y",
                            FlowKind.CUSTOMER_INVOICE, reference="F-88", optimistic_date=dt.date(2026, 12, 8),
                            pessimistic_date=dt.date(2027, 1, 12))
    forecaster = CashForecaster(horizon_days=60, n_samples=2000).fit([], as_of=AS_OF)
    forecast = forecaster.predict({"principal": Decimal("5000.00")}, [invoice])
    before, during, after = (forecast.total.on(day) for day in (
        dt.date(2026, 12, 1), dt.date(2026, 12, 21), dt.date(2027, 1, 25)))
    assert before.pessimistic == before.optimistic == Decimal("5000.00")
    assert during.pessimistic == Decimal("5000.00") and during.optimistic == Decimal("15000.00")
    assert after.pessimistic == after.optimistic == Decimal("15000.00")
    flow = forecast.flows[0]
    assert flow.earliest_date <= flow.date <= flow.latest_date
    assert flow.date == CALENDAR.roll_forward(flow.date)


def test_a_delay_distribution_with_a_bad_debt_risk():
    risky = ScheduledFlow(dt.date(2026, 12, 10), Decimal("8000.00"), "Facture F-90", "Client Z",
                          FlowKind.CUSTOMER_INVOICE, delay_distribution=((0, 0.4), (15, 0.3), (30, 0.15)))
    forecaster = CashForecaster(horizon_days=60, n_samples=2000).fit([], as_of=AS_OF)
    end = forecaster.predict({"principal": Decimal("0.00")}, [risky]).total.days[-1]
    # 15 % chance of never being paid in the horizon: more than the 10 % of the pessimistic scenario
    assert end.pessimistic == Decimal("0.00")
    assert end.realistic == end.optimistic == Decimal("8000.00")


def test_history_adds_recurring_charges_and_the_remainder():
    lines = small_company(AS_OF)
    forecast = forecast_cash(lines, {"principal": Decimal("30000.00")}, as_of=AS_OF)
    recurring = [flow for flow in forecast.flows if flow.kind is FlowKind.RECURRING]
    salaries = [flow for flow in recurring if flow.counterparty in {"Paul Durand", "Lina Morel"}]
    assert {flow.date for flow in salaries} == {dt.date(2026, 12, 15), dt.date(2027, 1, 15), dt.date(2027, 2, 15)}
    assert sum(flow.amount for flow in salaries) == Decimal("-13500.00")
    assert forecast.model["remainder"].startswith("pseudo_origins")
    # receipts exceed card expenses in this history: the unexplained remainder is positive on average
    assert sum(forecast.remainder_daily) > 0
    assert_ordered(forecast)


def test_forecast_is_json_ready_with_iso_dates_and_string_amounts():
    lines = small_company(AS_OF)
    forecast = forecast_cash(lines, {"principal": Decimal("30000.00")}, as_of=AS_OF,
                             threshold=Decimal(100000))
    data = json.loads(json.dumps(forecast.to_dict()))
    assert data["as_of"] == "2026-11-27" and data["horizon_days"] == 90
    assert len(data["total"]["days"]) == 90
    first = data["total"]["days"][0]
    assert set(first) == {"date", "pessimistic", "realistic", "optimistic"}
    assert isinstance(first["realistic"], str) and Decimal(first["realistic"])
    assert data["alerts"] and data["alerts"][0]["scenario"] in {s.value for s in Scenario}
    assert data["recurring"] and "period_label" in data["recurring"][0]
