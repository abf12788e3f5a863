"""Cash forecast: 90 days, day by day, per account and in total, in three scenarios, with what-ifs and alerts.

Usage::

    from decimal import Decimal
    from etabli.engines.forecast import CashForecaster, ScheduledFlow, FlowKind

    forecaster = CashForecaster(horizon_days=90).fit(bank_lines, as_of=today)
    forecast = forecaster.predict(
        {"principal": Decimal("18250.00")},
        [ScheduledFlow(date(2027, 1, 20), Decimal("12000"), "Facture F-102", "Dupont BTP",
                       FlowKind.CUSTOMER_INVOICE, optimistic_date=date(2027, 1, 12),
                       pessimistic_date=date(2027, 2, 28))],
        threshold=Decimal("10000"),
    )
    forecast.alerts[0].message   # « Votre trésorerie passera sous 10 000 € dans 18 jours … »
    what_if(forecaster, balances, flows, ["achat véhicule 25 000 € le 15/01"]).comparison.summary
    forecast.to_dict()           # JSON-ready

Pure Python (numpy, holidays): no Django, no I/O. `synthetic` generates companies with known futures for
tests and benchmarks/cash_forecast.py.
"""

from etabli.engines.forecast.engine import CashForecaster, forecast_cash
from etabli.engines.forecast.types import (
    ActionKind,
    AlertCause,
    BalanceSeries,
    CashAlert,
    CashForecast,
    CauseKind,
    DailyBalance,
    FlowKind,
    ForecastError,
    ForecastFlow,
    Scenario,
    ScheduledFlow,
    SuggestedAction,
)
from etabli.engines.forecast.whatif import (
    ChangeAction,
    FlowChange,
    ForecastComparison,
    WhatIfError,
    WhatIfResult,
    compare_forecasts,
    parse_change,
    what_if,
)
from etabli.engines.spending.types import BankLine

__all__ = [
    "ActionKind",
    "AlertCause",
    "BalanceSeries",
    "BankLine",
    "CashAlert",
    "CashForecast",
    "CashForecaster",
    "CauseKind",
    "ChangeAction",
    "DailyBalance",
    "FlowChange",
    "FlowKind",
    "ForecastComparison",
    "ForecastError",
    "ForecastFlow",
    "Scenario",
    "ScheduledFlow",
    "SuggestedAction",
    "WhatIfError",
    "WhatIfResult",
    "compare_forecasts",
    "forecast_cash",
    "parse_change",
    "what_if",
]
