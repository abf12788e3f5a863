import datetime as dt
import json
from decimal import Decimal

import pytest

from etabli.engines.spending import (
    AlertKind,
    BankLine,
    SpendingError,
    analyse_spending,
    duplicate_alerts,
    spending_alerts,
    unusual_amount_alerts,
)
from etabli.engines.spending.calendar import add_months, month_end
from tests.engines.spending.histories import monthly, steady_history

NBSP, NNBSP = "\xa0", "\u202f"


def plain(text: str) -> str:
    return text.replace(NBSP, " ").replace(NNBSP, " ")


def test_unusual_amount_is_explained_against_the_usual_one():
    lines = monthly(dt.date(2025, 1, 1), 10, 12, "-1200.00", "PRLV SEPA ENGIE PRO", "Engie", noise=0.05)
    lines.append(BankLine(dt.date(2025, 11, 12), Decimal("-4500.00"), "PRLV SEPA ENGIE PRO", "Engie"))
    alerts = unusual_amount_alerts(lines, as_of=dt.date(2025, 11, 30), since=dt.date(2025, 11, 1))
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert.kind is AlertKind.UNUSUAL_AMOUNT
    assert alert.date == dt.date(2025, 11, 12)
    message = plain(alert.message)
    assert message.startswith("Engie : 4 500 € ce mois-ci contre 1 ")
    assert message.endswith(" € en moyenne")
    assert "fois le montant habituel" in alert.explanation and "médiane" in alert.explanation


def test_no_alert_on_a_first_payment_or_with_too_little_history():
    lines = [BankLine(dt.date(2025, 11, 5), Decimal("-9800.00"), "VIR SEPA NOUVEAU FOURNISSEUR", "Atelier Neuf")]
    lines += monthly(dt.date(2025, 9, 1), 2, 3, "-100.00", "PRLV ABONNEMENT", "Abo Web")
    lines.append(BankLine(dt.date(2025, 11, 3), Decimal("-900.00"), "PRLV ABONNEMENT", "Abo Web"))
    assert unusual_amount_alerts(lines, as_of=dt.date(2025, 11, 30), since=dt.date(2025, 11, 1)) == []


def test_a_small_indexation_of_a_fixed_rent_is_not_unusual():
    lines = monthly(dt.date(2025, 1, 1), 10, 5, "-1200.00", "LOYER", "SCI Horizon")
    lines.append(BankLine(dt.date(2025, 11, 5), Decimal("-1242.00"), "LOYER", "SCI Horizon"))
    assert unusual_amount_alerts(lines, as_of=dt.date(2025, 11, 30), since=dt.date(2025, 11, 1)) == []


def test_probable_duplicate_and_its_exceptions():
    base = [BankLine(dt.date(2025, 10, 3), Decimal("-1250.00"), "VIR SEPA DUPONT MATERIAUX", "Dupont Matériaux")]
    duplicate = base + [BankLine(dt.date(2025, 10, 6), Decimal("-1250.00"), "VIR SEPA DUPONT MATERIAUX",
                                 "Dupont Matériaux")]
    alerts = duplicate_alerts(duplicate, as_of=dt.date(2025, 10, 31), since=dt.date(2025, 10, 1))
    assert len(alerts) == 1 and alerts[0].kind is AlertKind.DUPLICATE
    assert plain(alerts[0].message) == (
        "Doublon probable : 2 paiements de 1 250 € à Dupont Matériaux les 03/10/2025 et 06/10/2025")
    assert "3 jours d'écart" in alerts[0].explanation
    assert alerts[0].line_indexes == (0, 1)
    # two different invoice numbers: two invoices of the same amount, not a duplicate
    different = [
        BankLine(dt.date(2025, 10, 3), Decimal("-1250.00"), "VIR DUPONT FACT FA2025-101", "Dupont Matériaux"),
        BankLine(dt.date(2025, 10, 6), Decimal("-1250.00"), "VIR DUPONT FACT FA2025-117", "Dupont Matériaux"),
    ]
    assert duplicate_alerts(different, as_of=dt.date(2025, 10, 31), since=dt.date(2025, 10, 1)) == []
    # too far apart
    far = base + [BankLine(dt.date(2025, 10, 20), Decimal("-1250.00"), "VIR SEPA DUPONT MATERIAUX",
                           "Dupont Matériaux")]
    assert duplicate_alerts(far, as_of=dt.date(2025, 10, 31), since=dt.date(2025, 10, 1)) == []


def test_a_habitual_same_amount_pattern_is_not_a_duplicate():
    lines = []
    for k in range(6):  # two identical payroll transfers to the same payroll agency every month
        day = month_end(2025, k + 1) - dt.timedelta(days=3)
        lines += [BankLine(day, Decimal("-1900.00"), "VIR PAIE", "Paie Services")] * 2
    assert duplicate_alerts(lines, as_of=dt.date(2025, 6, 30), since=dt.date(2025, 6, 1)) == []


def test_drift_of_a_cost_line_over_twelve_months():
    lines = []
    for k in range(24):
        month = add_months(dt.date(2024, 1, 1), k)
        winter = Decimal("1.3") if month.month in (12, 1, 2) else Decimal(1)
        price = Decimal("1.45") if k >= 12 else Decimal(1)
        lines.append(BankLine(dt.date(month.year, month.month, 12), (Decimal(-400) * winter * price).quantize(
            Decimal("0.01")), "PRLV EDF", "EDF"))
    alerts = [a for a in spending_alerts(lines, as_of=dt.date(2025, 12, 31)) if a.kind is AlertKind.DRIFT]
    assert len(alerts) == 1
    assert alerts[0].message == "+45 % sur l'énergie en 12 mois"
    assert "un an plus tôt" in alerts[0].explanation
    # the same seasonal bills without a price rise: no drift
    steady = [BankLine(line.date, line.amount if line.date.year == 2024 else (line.amount / Decimal("1.45")).quantize(
        Decimal("0.01")), line.label, line.counterparty) for line in lines]
    assert not [a for a in spending_alerts(steady, as_of=dt.date(2025, 12, 31)) if a.kind is AlertKind.DRIFT]


@pytest.mark.parametrize("month_offset", range(0, 12, 2))
def test_no_false_alarm_on_steady_data(month_offset):
    lines = steady_history(months=30)
    as_of = month_end(2025, 7 + month_offset) if month_offset < 6 else month_end(2026, month_offset - 5)
    report = analyse_spending([line for line in lines if line.date <= as_of], as_of=as_of)
    assert report.alerts == ()
    assert len([c for c in report.recurring if c.active]) >= 7


def test_report_is_json_ready():
    lines = monthly(dt.date(2025, 1, 1), 10, 12, "-1200.00", "PRLV ENGIE", "Engie")
    lines.append(BankLine(dt.date(2025, 11, 12), Decimal("-4500.00"), "PRLV ENGIE", "Engie"))
    data = analyse_spending(lines, as_of=dt.date(2025, 11, 30)).to_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert '"typical_amount": "-1200.00"' in text
    assert data["alerts"][0]["amount"] == "-4500.00" and data["alerts"][0]["date"] == "2025-11-12"
    assert data["recurring"][0]["period_label"] == "mensuel"


def test_bad_input_gives_french_messages():
    with pytest.raises(SpendingError, match="n'est pas une ligne bancaire"):
        analyse_spending([{"date": "2025-01-01", "amount": "12"}])
    with pytest.raises(SpendingError, match="jamais un nombre à virgule flottante"):
        BankLine(dt.date(2025, 1, 1), -12.5, "CB")  # type: ignore[arg-type]
    with pytest.raises(SpendingError, match="Date de ligne bancaire invalide"):
        BankLine("2025-01-01", Decimal(1), "CB")  # type: ignore[arg-type]
    with pytest.raises(SpendingError, match="Aucune ligne bancaire"):
        analyse_spending([])
    lines = monthly(dt.date(2025, 1, 1), 3, 5, "-10.00", "X", "X")
    with pytest.raises(SpendingError, match="doit précéder"):
        spending_alerts(lines, as_of=dt.date(2025, 3, 31), since=dt.date(2025, 4, 1))
