"""French holidays and bank closing days in the forecast."""

import datetime as dt
from decimal import Decimal

import pytest

from etabli.engines.forecast import CashForecaster, ForecastError, ScheduledFlow, forecast_cash
from etabli.engines.spending import BankCalendar
from tests.engines.forecast.helpers import small_company

CALENDAR = BankCalendar()


def test_bank_calendar_knows_french_and_target2_holidays():
    assert CALENDAR.holiday_name(dt.date(2026, 7, 14)) == "Fête nationale"
    assert CALENDAR.holiday_name(dt.date(2026, 5, 14)) == "Ascension"
    # not French public holidays, but SEPA does not settle: no bank line on these days
    assert "TARGET2" in CALENDAR.holiday_name(dt.date(2026, 4, 3))  # Good Friday
    assert "TARGET2" in CALENDAR.holiday_name(dt.date(2026, 12, 26))
    assert CALENDAR.roll_forward(dt.date(2026, 5, 1)) == dt.date(2026, 5, 4)
    assert CALENDAR.last_business_day_of_month(2026, 5) == dt.date(2026, 5, 29)
    with pytest.raises(ForecastError, match="Subdivision française inconnue"):
        CashForecaster(subdiv="99")


def test_no_unexplained_flow_on_closed_days_and_flows_move_to_the_next_bank_day():
    as_of = dt.date(2026, 6, 30)
    flows = [ScheduledFlow(dt.date(2026, 7, 14), Decimal("-5000.00"), "Échéance crédit-bail", "Leasecom")]
    forecast = forecast_cash(small_company(as_of), {"principal": Decimal("20000.00")}, flows, as_of=as_of)
    remainder = dict(zip(forecast.dates, forecast.remainder_daily))
    for day in (dt.date(2026, 7, 14), dt.date(2026, 8, 15), dt.date(2026, 7, 11), dt.date(2026, 7, 12)):
        assert remainder[day] == 0, day
    business = [value for day, value in remainder.items() if CALENDAR.is_business_day(day)]
    assert all(value != 0 for value in business)
    moved = next(flow for flow in forecast.flows if flow.counterparty == "Leasecom")
    assert moved.date == dt.date(2026, 7, 15)
    rent = [flow.date for flow in forecast.flows if flow.counterparty == "SCI du Moulin"]
    # 5 July 2026 is a Sunday and 5 September a Saturday
    assert rent == [dt.date(2026, 7, 6), dt.date(2026, 8, 5), dt.date(2026, 9, 7)]


def test_the_day_after_a_holiday_catches_up():
    as_of = dt.date(2026, 4, 30)
    lines = [line for line in small_company(as_of, months=36, card_every_day=True) if line.amount < 0]
    forecaster = CashForecaster(horizon_days=30, n_samples=100).fit(lines, as_of=as_of)
    forecast = forecaster.predict({"principal": Decimal("20000.00")})
    remainder = dict(zip(forecast.dates, forecast.remainder_daily))
    # Friday 8 May and Thursday 14 May (Ascension) are holidays: nothing moves on them
    assert remainder[dt.date(2026, 5, 8)] == 0 and remainder[dt.date(2026, 5, 14)] == 0
    # card payments of the closed days are posted on the next bank day: the Monday after the 8 May long
    # weekend (three closed days) is expected to carry more than an ordinary Monday
    assert remainder[dt.date(2026, 5, 11)] < remainder[dt.date(2026, 5, 18)] < 0
    assert remainder[dt.date(2026, 5, 15)] < remainder[dt.date(2026, 5, 22)] < 0  # the day after Ascension
