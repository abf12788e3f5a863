"""The fast paths of the scoring pass give exactly what the straightforward code gave.

Why these tests: scoring 10 000 open invoices was made faster by building the (query, other invoice)
pairs from per-customer blocks instead of a merge, ranking them by gathering instead of sorting millions
of pairs, and building factors from whole feature columns. None of this may change a single bit of the
features, factors or reasons. `_reference_build_features` below is the former implementation, kept here
verbatim as the oracle.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc

import numpy as np
import pandas as pd
import pytest

from etabli.engines.scoring import (
    InvoiceRiskScorer,
    ScoringConfig,
    SyntheticHistory,
    generate_invoice_history,
)
from etabli.engines.scoring.invoices import (
    _company_median_amount,
    build_features,
    history_frame,
    open_invoice_ids,
    sector_late_rates,
    to_day,
    training_snapshots,
)
from etabli.engines.scoring.model import plain_value_table, select_factors_batch, select_factors_table


def _reference_build_features(
    frame: pd.DataFrame, queries: pd.DataFrame, config: ScoringConfig
) -> pd.DataFrame:
    """The merge / groupby-median / lexsort implementation `build_features` replaced (same output)."""
    own_row = pd.Index(frame["invoice_id"]).get_indexer(queries["invoice_id"].to_numpy())
    own = frame.iloc[own_row].reset_index(drop=True)
    as_of = queries["as_of"].to_numpy(dtype=np.int64)
    n = len(queries)
    qid = np.arange(n)
    customer_codes, _ = pd.factorize(frame["customer_id"], sort=False)
    left = pd.DataFrame({"qid": qid, "customer": customer_codes[own_row], "q_day": as_of, "q_row": own_row})
    right = pd.DataFrame({"customer": customer_codes, "row": np.arange(len(frame))})
    pairs = left.merge(right, on="customer", how="inner", sort=False)
    pair_q = pairs["qid"].to_numpy()
    pair_row = pairs["row"].to_numpy()
    q_day = pairs["q_day"].to_numpy()
    issue = frame["issue"].to_numpy()[pair_row]
    keep = (issue <= q_day) & (pair_row != pairs["q_row"].to_numpy())
    pair_q, pair_row, q_day, issue = pair_q[keep], pair_row[keep], q_day[keep], issue[keep]
    due = frame["due"].to_numpy()[pair_row]
    paid = frame["paid"].to_numpy()[pair_row]
    pair_amount = frame["amount"].to_numpy()[pair_row]
    due_grace = due + config.grace_days
    paid_known = ~np.isnan(paid) & (paid <= q_day)
    overdue_open = ~paid_known & (due_grace < q_day)
    known = paid_known | overdue_open
    late = (paid_known & (paid > due_grace)) | overdue_open

    def per_query(weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(pair_q, weights=weights, minlength=n).astype(float)

    n_invoices = per_query()
    n_paid = per_query(paid_known.astype(float))
    delay = np.where(paid_known, paid - due, 0.0)
    max_delay = np.full(n, -np.inf)
    np.maximum.at(max_delay, pair_q[paid_known], delay[paid_known])
    first_issue = np.full(n, np.inf)
    np.minimum.at(first_issue, pair_q, issue.astype(float))
    medians = (
        pd.DataFrame({"qid": pair_q, "amount": pair_amount, "terms": frame["terms"].to_numpy()[pair_row]})
        .groupby("qid", sort=False)[["amount", "terms"]]
        .median()
        .reindex(qid)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        stats = pd.DataFrame(
            {
                "n_invoices": n_invoices,
                "usual_amount": medians["amount"].to_numpy(),
                "usual_terms": medians["terms"].to_numpy(),
                "n_resolved": per_query(known.astype(float)),
                "n_late": per_query(late.astype(float)),
                "mean_delay": np.where(n_paid > 0, per_query(delay) / n_paid, np.nan),
                "max_delay": np.where(n_paid > 0, max_delay, np.nan),
                "overdue_count": per_query(overdue_open.astype(float)),
                "open_amount": per_query(np.where(~paid_known, pair_amount, 0.0)),
                "first_issue": np.where(n_invoices > 0, first_issue, np.nan),
            }
        )
    r_q, r_due, r_issue, r_row, r_late = pair_q[known], due[known], issue[known], pair_row[known], late[known]
    order = np.lexsort((r_row, -r_issue, -r_due, r_q))
    sorted_q = r_q[order]
    group_start = np.searchsorted(sorted_q, sorted_q, side="left")
    rank = np.arange(len(sorted_q)) - group_start
    in_window = rank < config.recent_window
    recent_n = np.bincount(sorted_q[in_window], minlength=n)
    recent_late = np.bincount(
        sorted_q[in_window], weights=r_late[order][in_window].astype(float), minlength=n
    )
    sectors = own["sector"].to_numpy(dtype=object)
    sector_rate, company_rate = sector_late_rates(frame, sectors, as_of.astype(float), config)
    n_resolved = stats["n_resolved"].to_numpy()
    n_late = stats["n_late"].to_numpy()
    k = config.customer_prior_strength
    amount = own["amount"].to_numpy()
    terms = own["terms"].to_numpy()
    since = own["since"].to_numpy()
    first_seen = np.fmin(stats["first_issue"].to_numpy(dtype=float), own["issue"].to_numpy(dtype=float))
    customer_start = np.where(np.isnan(since), first_seen, since)
    open_amount = stats["open_amount"].to_numpy()
    median_amount = _company_median_amount(frame, as_of)
    company_median = np.where(np.isnan(median_amount), amount, median_amount)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame(
            {
                "amount_log": np.log(amount),
                "amount_ratio": amount / stats["usual_amount"].to_numpy(),
                "terms_days": terms,
                "terms_vs_usual": terms - stats["usual_terms"].to_numpy(),
                "n_invoices": stats["n_invoices"].to_numpy(),
                "n_resolved": n_resolved,
                "recent_late_ratio": np.where(recent_n > 0, recent_late / np.maximum(recent_n, 1), np.nan),
                "late_rate_shrunk": (n_late + k * sector_rate) / (n_resolved + k),
                "mean_delay": stats["mean_delay"].to_numpy(),
                "max_delay": stats["max_delay"].to_numpy(),
                "overdue_count": stats["overdue_count"].to_numpy(),
                "open_amount_log": np.log1p(open_amount),
                "customer_age_days": np.maximum(as_of - customer_start, 0),
                "days_to_due": own["due"].to_numpy() - as_of,
                "days_since_issue": as_of - own["issue"].to_numpy(),
                "sector": pd.Series(sectors, dtype=object).to_numpy(),
                "sector_late_rate": sector_rate,
                "invoice_id": own["invoice_id"].to_numpy(),
                "customer_id": own["customer_id"].to_numpy(),
                "as_of": as_of,
                "due": own["due"].to_numpy(),
                "amount": amount,
                "usual_amount": stats["usual_amount"].to_numpy(),
                "usual_terms": stats["usual_terms"].to_numpy(),
                "n_late": n_late,
                "recent_n": recent_n,
                "recent_late": recent_late,
                "open_amount": open_amount,
                "company_late_rate": company_rate,
                "company_median_amount": company_median,
            }
        )


@pytest.fixture(scope="module")
def busy_history() -> SyntheticHistory:
    """Few customers, many invoices each: long per-customer blocks, ties in amounts, due and issue dates."""
    return generate_invoice_history(seed=7, n_customers=12, months=24, invoices_per_customer_month=3.0)


def _query_sets(history: SyntheticHistory, config: ScoringConfig) -> dict[str, pd.DataFrame]:
    frame = history_frame(history.records)
    mid = history.start + (history.end - history.start) / 2
    open_now = open_invoice_ids(frame, history.end)
    shuffled = frame.sample(frac=1.0, random_state=0)
    return {
        "training snapshots (one date per row)": training_snapshots(frame, mid, config)[
            ["invoice_id", "as_of"]
        ],
        "open invoices on the last day": pd.DataFrame(
            {"invoice_id": open_now, "as_of": np.full(len(open_now), to_day(history.end))}
        ),
        "every invoice at its issue date, shuffled": pd.DataFrame(
            {"invoice_id": shuffled["invoice_id"].to_numpy(), "as_of": shuffled["issue"].to_numpy()}
        ),
        "one invoice asked twice": pd.DataFrame(
            {"invoice_id": [open_now[0], open_now[0]], "as_of": [to_day(mid), to_day(history.end)]}
        ),
    }


@pytest.mark.parametrize(
    "config",
    [ScoringConfig(), ScoringConfig(grace_days=5, recent_window=2)],
    ids=["defaults", "grace-5-window-2"],
)
def test_features_are_bit_for_bit_those_of_the_reference(
    busy_history: SyntheticHistory, config: ScoringConfig
) -> None:
    frame = history_frame(busy_history.records)
    for name, queries in _query_sets(busy_history, config).items():
        assert len(queries) > 0, name
        expected = _reference_build_features(frame, queries, config)
        pd.testing.assert_frame_equal(
            build_features(frame, queries, config), expected, check_exact=True, obj=name
        )


def test_features_of_a_customer_with_a_single_invoice_match_the_reference(
    busy_history: SyntheticHistory,
) -> None:
    """No other invoice at all: empty pair sets, NaN medians, no recent outcome."""
    records = busy_history.records
    lone = dataclasses.replace(records[len(records) // 2], invoice_id="SEUL", customer_id="C-SEUL")
    frame = history_frame([*records, lone])
    day = to_day(lone.issue_date)
    for ids in (["SEUL"], ["SEUL", records[-1].invoice_id]):
        queries = pd.DataFrame({"invoice_id": ids, "as_of": [day] * len(ids)})
        expected = _reference_build_features(frame, queries, ScoringConfig())
        result = build_features(frame, queries, ScoringConfig())
        pd.testing.assert_frame_equal(result, expected, check_exact=True)
        assert np.isnan(result.loc[0, "usual_amount"]) and result.loc[0, "recent_n"] == 0


def test_factors_from_columns_equal_factors_from_row_dicts(busy_history: SyntheticHistory) -> None:
    scorer = InvoiceRiskScorer(random_state=0).fit(busy_history.records, busy_history.end)
    frame = history_frame(busy_history.records)
    queries = _query_sets(busy_history, scorer.config)["every invoice at its issue date, shuffled"]
    features = build_features(frame, queries, scorer.config)
    _, contributions, names = scorer._probabilities(features)
    columns = {name: features[name].tolist() for name in features.columns}
    rows = [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]
    table = plain_value_table([features[name] for name in names])
    for top, threshold in ((6, 0.02), (3, 0.0), (50, 0.3)):
        expected = select_factors_batch(contributions, names, rows, top=top, min_contribution=threshold)
        assert (
            select_factors_table(contributions, names, table, top=top, min_contribution=threshold) == expected
        )
    # Numpy scalars become plain Python values, as in the row-by-row path.
    assert all(
        type(factor.value) in (int, float, str, type(None)) for factors in expected for factor in factors
    )


def test_plain_value_table_converts_each_kind_of_column() -> None:
    table = plain_value_table(
        [
            np.array([1.5, np.nan]),
            np.array([3, 4]),
            pd.Series(["BTP", None], dtype=object),
            np.array([True, False]),
        ]
    )
    assert table.tolist() == [[1.5, 3, "BTP", True], [None, 4, None, False]]
    assert [type(v) for v in table[0]] == [float, int, str, bool]


def _set_gc(enabled: bool) -> None:
    if enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.parametrize("enabled", [True, False])
def test_scoring_leaves_the_garbage_collector_as_it_found_it(
    history: SyntheticHistory, fitted_scorer: InvoiceRiskScorer, enabled: bool
) -> None:
    was_enabled = gc.isenabled()
    try:
        _set_gc(enabled)
        assert fitted_scorer.score(history.records, history.end)
        assert gc.isenabled() is enabled
    finally:
        _set_gc(was_enabled)


def test_scores_at_issue_dates_equal_those_built_from_reference_features(
    busy_history: SyntheticHistory,
) -> None:
    """End to end: probabilities and reasons from the fast features equal those from the reference ones."""
    as_of = busy_history.end - dt.timedelta(days=120)
    scorer = InvoiceRiskScorer(random_state=0).fit(busy_history.records, as_of)
    frame = history_frame(busy_history.records)
    queries = _query_sets(busy_history, scorer.config)["every invoice at its issue date, shuffled"]
    fast = scorer._probabilities(build_features(frame, queries, scorer.config))
    reference = scorer._probabilities(_reference_build_features(frame, queries, scorer.config))
    np.testing.assert_array_equal(fast[0], reference[0])
    np.testing.assert_array_equal(fast[1], reference[1])
