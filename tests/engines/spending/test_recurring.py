import datetime as dt
from decimal import Decimal

from etabli.engines.spending import BankCalendar, BankLine, ChargeKind, DayRule, Period, detect_recurring
from etabli.engines.spending.recurring import occurrences_between
from tests.engines.spending.histories import monthly, steady_history

CALENDAR = BankCalendar()


def _find(charges, name):
    matches = [charge for charge in charges if charge.name == name]
    assert matches, f"{name} not detected among {[c.name for c in charges]}"
    return matches[0]


def test_monthly_rent_with_its_day_amount_and_next_dates_on_business_days():
    lines = monthly(dt.date(2025, 1, 1), 18, 5, "-1200.00", "PRLV SEPA SCI LES TILLEULS LOYER", "SCI Les Tilleuls")
    charges = detect_recurring(lines, as_of=dt.date(2026, 6, 20))
    rent = _find(charges, "SCI Les Tilleuls")
    assert rent.period is Period.MONTHLY
    assert rent.kind is ChargeKind.RENT
    assert rent.typical_day == 5
    assert rent.typical_amount == Decimal("-1200.00")
    assert rent.amount_spread == Decimal("0.00")
    assert rent.active
    # 5 July 2026 is a Sunday: the bank takes it on Monday the 6th
    assert rent.next_dates[0] == dt.date(2026, 7, 6)
    assert all(CALENDAR.is_business_day(day) for day in rent.next_dates)
    assert "le 5 du mois" in rent.explanation


def test_weekly_quarterly_and_yearly_periods():
    start = dt.date(2024, 1, 1)
    lines = [BankLine(CALENDAR.roll_forward(start + dt.timedelta(weeks=k)), Decimal("-85.00"), "NETTOYAGE LOCAUX",
                      "Clean Pro") for k in range(30)]
    lines += [BankLine(CALENDAR.roll_forward(dt.date(2024 + (k * 3) // 12, (k * 3) % 12 + 1, 20)),
                       Decimal("-640.00"), "PRLV AXA MULTIRISQUE", "AXA") for k in range(8)]
    lines += [BankLine(CALENDAR.roll_forward(dt.date(year, 3, 15)), Decimal("-2400.00"), "COTISATION ANNUELLE",
                       "Ordre des architectes") for year in (2022, 2023, 2024, 2025)]
    charges = detect_recurring(lines, as_of=dt.date(2025, 9, 1))
    weekly = _find(charges, "Clean Pro")
    assert weekly.period is Period.WEEKLY and weekly.typical_weekday == 0
    assert not weekly.active  # last seen in July 2024: a stopped contract
    quarterly = _find(charges, "AXA")
    assert quarterly.period is Period.QUARTERLY and quarterly.typical_month == 1 and quarterly.typical_day == 20
    assert quarterly.kind is ChargeKind.INSURANCE
    yearly = _find(charges, "Ordre des architectes")
    assert yearly.period is Period.YEARLY and yearly.typical_month == 3
    assert yearly.next_dates[0] == dt.date(2026, 3, 16)  # 15 March 2026 is a Sunday


def test_salaries_on_the_last_business_day_and_thirteenth_month():
    lines = []
    for year in (2024, 2025):
        for month in range(1, 13):
            day = CALENDAR.last_business_day_of_month(year, month)
            amount = Decimal("-2500.00") * (2 if month == 12 else 1)
            lines.append(BankLine(day, amount, f"VIR SALAIRE {month:02d} JEAN MARTIN", "Jean Martin"))
    salary = _find(detect_recurring(lines, as_of=dt.date(2025, 12, 31)), "Jean Martin")
    assert salary.kind is ChargeKind.SALARY
    assert salary.day_rule is DayRule.LAST_BUSINESS_DAY
    assert salary.typical_amount == Decimal("-2500.00")
    assert dict(salary.month_factors) == {12: 2.0}
    assert salary.amount_for(dt.date(2026, 12, 31)) == Decimal("-5000.00")
    # January 2026 ends on a Saturday: paid Friday the 30th
    assert salary.next_dates[0] == dt.date(2026, 1, 30)


def test_one_counterparty_with_several_schedules_is_split_by_label():
    lines = monthly(dt.date(2024, 1, 1), 20, 20, "-4100.00", "PRLV SEPA DGFIP TVA", "DGFIP", noise=0.2)
    lines += [BankLine(CALENDAR.roll_forward(dt.date(2024 + (m - 1) // 12, (m - 1) % 12 + 1, 15)),
                       Decimal("-2600.00"), "PRLV SEPA DGFIP IMPOT SOCIETES", "DGFIP") for m in (3, 6, 9, 12, 15, 18)]
    charges = detect_recurring(lines, as_of=dt.date(2025, 8, 31))
    dgfip = sorted((c for c in charges if c.name == "DGFIP"), key=lambda c: c.period.nominal_days)
    assert [c.period for c in dgfip] == [Period.MONTHLY, Period.QUARTERLY]
    assert dgfip[1].typical_amount == Decimal("-2600.00")
    assert all(c.kind is ChargeKind.TAX for c in dgfip)


def test_irregular_purchases_and_single_payments_are_not_recurring():
    charges = detect_recurring(steady_history(months=18), as_of=dt.date(2025, 6, 30))
    names = {charge.name for charge in charges}
    assert {"Point P", "Rexel", "Würth"}.isdisjoint(names)
    assert {"SCI des Lilas", "Banque Populaire", "EDF", "Orange", "URSSAF", "Marie Curie"} <= names
    energy = _find(charges, "EDF")
    assert energy.kind is ChargeKind.ENERGY and 0.02 < energy.variability < 0.2


def test_a_late_occurrence_is_still_expected_and_holidays_move_due_dates():
    # paid on the 14th of each month; as of 16 July 2026 the July payment (14 July is a holiday, so due the
    # 15th) has not shown up yet: it is late, not gone, and expected the next business day
    lines = monthly(dt.date(2025, 9, 1), 10, 14, "-99.00", "PRLV LOGICIEL", "Logiciel SaaS")
    charge = _find(detect_recurring(lines, as_of=dt.date(2026, 7, 16)), "Logiciel SaaS")
    assert charge.next_dates[0] == dt.date(2026, 7, 17)
    dates = occurrences_between(charge, dt.date(2026, 7, 17), dt.date(2026, 12, 31), CALENDAR)
    assert dt.date(2026, 7, 17) in dates
    assert all(CALENDAR.is_business_day(day) for day in dates)
    assert len(dates) == 6


def test_income_series_are_returned_with_a_positive_amount():
    lines = monthly(dt.date(2025, 1, 1), 12, 1, "750.00", "VIR RECU CONTRAT MAINTENANCE", "Syndic Horizon")
    charge = _find(detect_recurring(lines, as_of=dt.date(2025, 12, 15)), "Syndic Horizon")
    assert charge.is_income and charge.kind is ChargeKind.INCOME and charge.typical_amount == Decimal("750.00")
