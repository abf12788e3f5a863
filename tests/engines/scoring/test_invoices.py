"""Point-in-time invoice features, checked by hand on a tiny history and against leakage."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from etabli.engines.scoring import InvoiceRecord, ScoringConfig, ScoringError
from etabli.engines.scoring.invoices import (
    build_features,
    history_frame,
    labelled_counts,
    open_invoice_ids,
    to_day,
    training_snapshots,
)

D = dt.date


def invoice(
    number: int,
    issue: dt.date,
    *,
    customer: str = "C1",
    terms: int = 30,
    amount: str = "1000",
    paid: dt.date | None = None,
    sector: str | None = "BTP",
) -> InvoiceRecord:
    return InvoiceRecord(
        invoice_id=f"F{number}",
        customer_id=customer,
        issue_date=issue,
        due_date=issue + dt.timedelta(days=terms),
        amount=Decimal(amount),
        paid_date=paid,
        sector=sector,
        customer_since=D(2023, 1, 1),
    )


def small_history() -> list[InvoiceRecord]:
    """C1: six invoices (three late), one open and overdue on 2024-08-01, and a large new one."""
    return [
        invoice(1, D(2024, 1, 1), paid=D(2024, 1, 25)),  # on time (due 31/01)
        invoice(2, D(2024, 2, 1), paid=D(2024, 3, 20)),  # 18 days late
        invoice(3, D(2024, 3, 1), paid=D(2024, 3, 28)),  # on time
        invoice(4, D(2024, 4, 1), paid=D(2024, 5, 11)),  # 10 days late
        invoice(5, D(2024, 5, 1), paid=D(2024, 5, 31)),  # on time (paid on the due date)
        invoice(6, D(2024, 6, 1), paid=None),  # due 01/07, unpaid: late and open
        invoice(7, D(2024, 8, 1), amount="4000", terms=60),  # the invoice being scored
        invoice(8, D(2024, 1, 15), customer="C2", paid=D(2024, 2, 1), sector="Services"),
    ]


def features_of(records: list[InvoiceRecord], invoice_id: str, as_of: dt.date) -> pd.Series:
    frame = history_frame(records)
    queries = pd.DataFrame({"invoice_id": [invoice_id], "as_of": [to_day(as_of)]})
    return build_features(frame, queries, ScoringConfig()).iloc[0]


def test_features_match_a_hand_count() -> None:
    row = features_of(small_history(), "F7", D(2024, 8, 1))
    assert row["n_invoices"] == 6
    assert row["n_resolved"] == 6  # five paid + one visibly late
    assert row["n_late"] == 3
    assert (row["recent_n"], row["recent_late"]) == (5, 3)  # invoices 2–6, newest first
    assert row["recent_late_ratio"] == pytest.approx(0.6)
    assert row["mean_delay"] == pytest.approx((-6 + 18 - 3 + 10 + 0) / 5)
    assert row["max_delay"] == 18
    assert row["overdue_count"] == 1
    assert row["open_amount"] == 1000
    assert row["usual_amount"] == 1000 and row["amount_ratio"] == pytest.approx(4.0)
    assert row["terms_days"] == 60 and row["terms_vs_usual"] == 30
    assert row["days_to_due"] == 60 and row["days_since_issue"] == 0
    assert row["customer_age_days"] == (D(2024, 8, 1) - D(2023, 1, 1)).days
    assert row["sector"] == "BTP"


def test_nothing_after_as_of_leaks_into_features() -> None:
    records = small_history()
    before = features_of(records, "F4", D(2024, 4, 1))
    # Rewrite only what happens after 01/04: invoice 4 itself is paid on time, 5 and 6 are paid early.
    future = {"F4": D(2024, 4, 20), "F5": D(2024, 5, 2), "F6": D(2024, 6, 2)}
    changed = [dataclasses.replace(r, paid_date=future.get(r.invoice_id, r.paid_date)) for r in records]
    after = features_of(changed, "F4", D(2024, 4, 1))
    pd.testing.assert_series_equal(before, after, check_names=False)
    # What was known on 01/04: invoices 1 and 3 paid on time, invoice 2 paid 18 days late.
    assert (before["n_resolved"], before["n_late"], before["overdue_count"]) == (3, 1, 0)
    assert before["mean_delay"] == pytest.approx((-6 + 18 - 3) / 3)
    # Changing the past does change them: invoice 3 still unpaid on 01/04 is visibly late.
    past = [dataclasses.replace(r, paid_date=D(2024, 4, 20)) if r.invoice_id == "F3" else r for r in records]
    assert features_of(past, "F4", D(2024, 4, 1))["overdue_count"] == 1


def test_first_invoice_of_a_new_customer_has_no_history() -> None:
    row = features_of(small_history(), "F8", D(2024, 1, 15))
    assert row["n_invoices"] == 0 and row["n_resolved"] == 0
    assert np.isnan(row["recent_late_ratio"]) and np.isnan(row["amount_ratio"])
    # No known outcome anywhere yet: the shrunk rate is the configured prior.
    assert row["late_rate_shrunk"] == pytest.approx(ScoringConfig().default_late_rate)


def test_sector_rate_only_counts_outcomes_known_on_the_date() -> None:
    records = small_history()
    early = features_of(records, "F7", D(2024, 1, 20))  # nothing known yet
    late = features_of(records, "F7", D(2024, 8, 1))
    assert early["sector_late_rate"] == pytest.approx(0.35)
    assert late["sector_late_rate"] > early["sector_late_rate"]  # BTP's late outcomes have appeared


def test_training_snapshots_use_only_settled_invoices() -> None:
    frame = history_frame(small_history())
    snapshots = training_snapshots(frame, D(2024, 6, 15), ScoringConfig(snapshot_step_days=15))
    # Due before 15/06: invoices 1–5 and 8 (6 is due 01/07: unknown yet, 7 not issued).
    assert set(snapshots["invoice_id"]) == {"F1", "F2", "F3", "F4", "F5", "F8"}
    labels = snapshots.groupby("invoice_id")["label"].first().to_dict()
    assert labels == {"F1": 0, "F2": 1, "F3": 0, "F4": 1, "F5": 0, "F8": 0}
    # Invoice 2 (issued 01/02, due 02/03, paid 20/03): snapshots on 01/02, 16/02 and 02/03.
    f2 = snapshots[snapshots["invoice_id"] == "F2"]["as_of"].tolist()
    assert f2 == [to_day(D(2024, 2, 1)), to_day(D(2024, 2, 16)), to_day(D(2024, 3, 2))]
    assert snapshots["at_issue"].sum() == 6


def test_open_invoices_and_labelled_counts() -> None:
    frame = history_frame(small_history())
    assert open_invoice_ids(frame, D(2024, 8, 1)) == ["F6", "F7"]
    assert labelled_counts(frame, D(2024, 8, 1), ScoringConfig()) == (3, 4)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"due_date": D(2023, 12, 1)}, "échéance précède"),
        ({"amount": Decimal(-10)}, "montant doit être positif"),
        ({"amount": "abc"}, "montant invalide"),
        ({"payment_terms_days": 400}, "délai de paiement invalide"),
        ({"customer_id": " "}, "identifiant et un client"),
    ],
)
def test_invalid_invoice_is_refused(changes: dict, message: str) -> None:
    base = {
        "invoice_id": "F1",
        "customer_id": "C1",
        "issue_date": D(2024, 1, 1),
        "due_date": D(2024, 1, 31),
        "amount": Decimal(100),
    }
    with pytest.raises(ScoringError, match=message):
        InvoiceRecord(**{**base, **changes})


def test_amount_is_rounded_to_the_cent_and_duplicates_refused() -> None:
    record = invoice(1, D(2024, 1, 1), amount="10.005")
    assert record.amount == Decimal("10.01")
    with pytest.raises(ScoringError, match="en double : F1"):
        history_frame([record, record])
    with pytest.raises(ScoringError, match="Aucune facture"):
        history_frame([])
