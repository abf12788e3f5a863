"""Invoice history → point-in-time features for late-payment risk.

Why point-in-time: a feature computed "as of" a date may only use what was known on that date. A payment
made later, a lateness not yet visible (the due date is still ahead) or a sector statistic that includes
the invoice's own outcome would leak the answer into training and make the back-test lie. Every function
here takes an `as_of` date per row and filters the history by it:
- an invoice's payment is known once `paid_date <= as_of`;
- its lateness is known once it is paid, or once `due_date + grace_days < as_of` while still unpaid;
- sector and company late rates are counted over outcomes known by `as_of` only.

Dates are handled as integer day numbers inside the vectorised code (10 000 open invoices must be scored,
explained and dated in under 2 s).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter

import numpy as np
import pandas as pd

from etabli.common.money import round_cents, to_decimal
from etabli.engines.scoring.errors import ScoringError

_EPOCH = dt.date(1970, 1, 1)

#: Columns the risk model learns from (in this order). Everything else in the feature frame is context
#: kept for the French reasons and the payment-date estimate.
MODEL_FEATURES: tuple[str, ...] = (
    "amount_log",
    "amount_ratio",
    "terms_days",
    "terms_vs_usual",
    "n_invoices",
    "n_resolved",
    "recent_late_ratio",
    "late_rate_shrunk",
    "mean_delay",
    "max_delay",
    "overdue_count",
    "open_amount_log",
    "customer_age_days",
    "days_to_due",
    "days_since_issue",
    "sector",
    "sector_late_rate",
)


@dataclass(frozen=True)
class InvoiceRecord:
    """One customer invoice as the billing app knows it (amount incl. VAT, in euros).

    `paid_date` is the date the invoice was paid in full (None while it is open); partial payments are
    the app's business. `payment_terms_days` defaults to `due_date − issue_date`. `customer_since` is the
    date the customer was created (None: the first invoice stands in for it).
    """

    invoice_id: str
    customer_id: str
    issue_date: dt.date
    due_date: dt.date
    amount: Decimal
    paid_date: dt.date | None = None
    sector: str | None = None
    customer_since: dt.date | None = None
    payment_terms_days: int | None = None
    _amount_float: float = field(default=0.0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        label = f"Facture « {self.invoice_id} »"
        if not str(self.invoice_id).strip() or not str(self.customer_id).strip():
            raise ScoringError("Chaque facture doit avoir un identifiant et un client.")
        for name in ("issue_date", "due_date"):
            if not isinstance(getattr(self, name), dt.date):
                raise ScoringError(f"{label} : la date « {name} » est manquante ou invalide.")
        for name in ("paid_date", "customer_since"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, dt.date):
                raise ScoringError(f"{label} : la date « {name} » est invalide.")
        if self.due_date < self.issue_date:
            raise ScoringError(f"{label} : l'échéance précède la date d'émission.")
        try:
            amount = round_cents(to_decimal(self.amount))
        except (TypeError, ValueError) as exc:
            raise ScoringError(f"{label} : montant invalide ({self.amount!r}).") from exc
        if amount <= 0:
            raise ScoringError(
                f"{label} : le montant doit être positif (les avoirs ne se notent pas comme des factures)."
            )
        object.__setattr__(self, "amount", amount)
        # Normalised once here so that building a history table of 100 000 invoices needs no conversion.
        object.__setattr__(self, "customer_id", str(self.customer_id))
        object.__setattr__(self, "sector", str(self.sector) if self.sector else None)
        object.__setattr__(self, "_amount_float", float(amount))
        if self.payment_terms_days is not None and not 0 <= int(self.payment_terms_days) <= 365:
            raise ScoringError(f"{label} : délai de paiement invalide ({self.payment_terms_days} jours).")

    @property
    def terms_days(self) -> int:
        if self.payment_terms_days is not None:
            return int(self.payment_terms_days)
        return (self.due_date - self.issue_date).days


@dataclass(frozen=True)
class ScoringConfig:
    """Settings of the invoice layer; every default is a stated assumption, not a measured fact.

    - `grace_days`: an invoice is late when paid more than this many days after its due date (0: the
      legal rule, any day late is late).
    - `default_late_rate`: the late rate assumed before any outcome is known (35 %, an assumption for a
      French B2B TPE; replace with pooled figures when an installation has them).
    - `sector_prior_rates`: late rates per sector from outside the company (e.g. pooled over an
      accountant's client companies); missing sectors use `default_late_rate`.
    - `sector_prior_strength` / `customer_prior_strength`: how many invoices the prior is worth when
      shrinking a sector's / a customer's observed late rate (Beta–binomial posterior mean).
    - `min_labelled_invoices`, `min_late_invoices`, `min_on_time_invoices`: below any of these the
      company has "pas assez d'historique" and scores come from the priors only.
    """

    grace_days: int = 0
    recent_window: int = 5
    snapshot_step_days: int = 15
    default_late_rate: float = 0.35
    sector_prior_rates: Mapping[str, float] = field(default_factory=dict)
    sector_prior_strength: float = 20.0
    customer_prior_strength: float = 4.0
    min_labelled_invoices: int = 100
    min_late_invoices: int = 20
    min_on_time_invoices: int = 20

    def __post_init__(self) -> None:
        if self.grace_days < 0 or self.recent_window < 1 or self.snapshot_step_days < 1:
            raise ScoringError("Paramètres de score invalides (délai de grâce, fenêtre ou pas de temps).")
        rates = [self.default_late_rate, *self.sector_prior_rates.values()]
        if any(not 0 < rate < 1 for rate in rates):
            raise ScoringError("Les taux de retard a priori doivent être strictement entre 0 et 1.")
        if self.sector_prior_strength <= 0 or self.customer_prior_strength <= 0:
            raise ScoringError("Le poids des a priori doit être positif.")


# --------------------------------------------------------------------------------------- history frame
def to_day(value: dt.date) -> int:
    return (value - _EPOCH).days


def from_day(value: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(value))


def history_frame(records: Sequence[InvoiceRecord]) -> pd.DataFrame:
    """Records → one row per invoice, dates as day numbers (NaN for "not paid" / "unknown")."""
    if not records:
        raise ScoringError("Aucune facture fournie.")
    epoch = _EPOCH.toordinal()
    fields = attrgetter(
        "invoice_id",
        "customer_id",
        "issue_date",
        "due_date",
        "paid_date",
        "_amount_float",
        "payment_terms_days",
        "sector",
        "customer_since",
    )
    ids, customers, issued, due, paid, amounts, terms, sectors, since = zip(
        *map(fields, records), strict=True
    )
    issue_days = np.fromiter((d.toordinal() for d in issued), dtype=np.int64, count=len(records)) - epoch
    due_days = np.fromiter((d.toordinal() for d in due), dtype=np.int64, count=len(records)) - epoch
    terms_days = np.asarray([np.nan if t is None else t for t in terms], dtype=float)
    terms_days = np.where(np.isnan(terms_days), due_days - issue_days, terms_days)
    frame = pd.DataFrame(
        {
            "invoice_id": np.asarray(ids, dtype=object),
            "customer_id": np.asarray(customers, dtype=object),
            "issue": issue_days,
            "due": due_days,
            "paid": np.fromiter(
                (np.nan if d is None else d.toordinal() - epoch for d in paid),
                dtype=float,
                count=len(records),
            ),
            "amount": np.asarray(amounts, dtype=float),
            "terms": terms_days,
            "sector": np.asarray(sectors, dtype=object),
            "since": np.fromiter(
                (np.nan if d is None else d.toordinal() - epoch for d in since),
                dtype=float,
                count=len(records),
            ),
        }
    )
    if frame["invoice_id"].duplicated().any():
        duplicates = sorted(set(frame.loc[frame["invoice_id"].duplicated(), "invoice_id"]))[:5]
        raise ScoringError(f"Identifiants de facture en double : {', '.join(map(str, duplicates))}.")
    return frame


def outcome_known_day(frame: pd.DataFrame, grace_days: int) -> np.ndarray:
    """Day from which each invoice's on-time/late outcome is known (paid in time, or past due + grace)."""
    late_visible = frame["due"].to_numpy() + grace_days + 1
    paid = frame["paid"].to_numpy()
    paid_in_time = ~np.isnan(paid) & (paid <= frame["due"].to_numpy() + grace_days)
    return np.where(paid_in_time, paid, late_visible).astype(float)


def final_late_label(frame: pd.DataFrame, grace_days: int) -> np.ndarray:
    """1 if the invoice was (or still is) paid after due + grace. Only meaningful once the outcome is known."""
    paid = frame["paid"].to_numpy()
    on_time = ~np.isnan(paid) & (paid <= frame["due"].to_numpy() + grace_days)
    return (~on_time).astype(int)


def open_invoice_ids(frame: pd.DataFrame, as_of: dt.date) -> list[str]:
    """Invoices issued on or before `as_of` and not paid by then."""
    day = to_day(as_of)
    paid = frame["paid"].to_numpy()
    is_open = (frame["issue"].to_numpy() <= day) & (np.isnan(paid) | (paid > day))
    return frame.loc[is_open, "invoice_id"].tolist()


# ---------------------------------------------------------------------------------------- sector priors
def sector_late_rates(
    frame: pd.DataFrame, sectors: np.ndarray, as_of_days: np.ndarray, config: ScoringConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Pooled late rate of each query's sector, from outcomes known by the query's date.

    Two-level shrinkage: the company's overall rate is pulled toward `default_late_rate`, each sector's
    rate toward the sector's outside prior (if given) blended with the company rate. A sector with 3
    invoices therefore says little; one with 200 speaks for itself.
    """
    known_day = outcome_known_day(frame, config.grace_days)
    late = final_late_label(frame, config.grace_days)
    order = np.argsort(known_day, kind="stable")
    known_sorted = known_day[order]
    late_cumulative = np.concatenate([[0], np.cumsum(late[order])])
    n_known = np.searchsorted(known_sorted, as_of_days, side="right")
    n_late = late_cumulative[n_known]
    strength = config.sector_prior_strength
    company_rate = (n_late + strength * config.default_late_rate) / (n_known + strength)

    rates = company_rate.copy()
    history_sector = frame["sector"].to_numpy(dtype=object)
    for sector in pd.unique(pd.Series(sectors, dtype=object).dropna()):
        in_sector = history_sector == sector
        rows = np.flatnonzero(np.asarray(sectors, dtype=object) == sector)
        s_order = np.argsort(known_day[in_sector], kind="stable")
        s_known = known_day[in_sector][s_order]
        s_late_cum = np.concatenate([[0], np.cumsum(late[in_sector][s_order])])
        s_n = np.searchsorted(s_known, as_of_days[rows], side="right")
        outside = config.sector_prior_rates.get(str(sector))
        prior = company_rate[rows] if outside is None else 0.5 * (company_rate[rows] + outside)
        rates[rows] = (s_late_cum[s_n] + strength * prior) / (s_n + strength)
    return rates, company_rate


class _CustomerPairs:
    """Every (query, history row of the query's customer) pair, as flat arrays grouped by query.

    Why not a merge and a sort: with 10 000 open invoices over a few dozen customers there are millions of
    pairs, and a `DataFrame.merge` followed by a multi-key `np.lexsort` of the pairs dominated the cost of
    scoring. Here the history rows are grouped by customer once; a query's pairs are its customer's block
    repeated. Pairs come in row order inside each query (what `DataFrame.merge(how="inner", sort=False)`
    gave, so sums are taken in the same order, to the last bit). Any other order inside the queries, e.g.
    by recency or by amount, is found by sorting the history rows (thousands) instead of the pairs
    (millions), then gathering.
    """

    def __init__(self, row_customer: np.ndarray, query_customer: np.ndarray) -> None:
        self._row_customer = row_customer
        by_customer = np.argsort(row_customer, kind="stable")  # rows ascending inside each customer
        sizes = np.bincount(row_customer)
        block_start = np.cumsum(sizes) - sizes
        counts = sizes[query_customer]
        first_pair = np.cumsum(counts) - counts
        total = int(counts.sum())
        self.query = np.repeat(np.arange(len(query_customer)), counts)
        self._query_start = np.repeat(first_pair, counts)
        # Index of each pair's row in the customer-grouped layout, and the row itself.
        self._layout_index = np.repeat(block_start[query_customer], counts) + (
            np.arange(total) - self._query_start
        )
        self.row = by_customer[self._layout_index]
        self._position_in_block = np.empty(len(row_customer), dtype=np.int64)
        self._position_in_block[by_customer] = (
            np.arange(len(row_customer)) - block_start[row_customer[by_customer]]
        )
        self._counts = counts

    def ordered_by(self, *keys: np.ndarray) -> np.ndarray:
        """Pair indices grouped by query, each query's pairs sorted by the history-row `keys`.

        `keys` follow `np.lexsort` (last key primary); ties keep row order (the sort is stable).
        """
        layout = np.lexsort((*keys, self._row_customer))
        return self._query_start + self._position_in_block[layout][self._layout_index]

    def median(self, values: np.ndarray, selected: np.ndarray) -> np.ndarray:
        """Median of `values` (per history row) over each query's `selected` pairs; NaN when none.

        Same arithmetic as pandas' grouped median: the middle value, or the mean of the two middle ones.
        """
        n_queries = len(self._counts)
        ordered = self.ordered_by(values)
        ordered = ordered[selected[ordered]]
        if len(ordered) == 0:
            return np.full(n_queries, np.nan)
        sorted_values = values[self.row[ordered]]
        counts = np.bincount(self.query[ordered], minlength=n_queries)
        start = np.cumsum(counts) - counts
        has_any = counts > 0
        lower = sorted_values[np.where(has_any, start + (counts - 1) // 2, 0)]
        upper = sorted_values[np.where(has_any, start + counts // 2, 0)]
        middle = np.where(counts % 2 == 1, upper, (upper + lower) / 2)
        return np.where(has_any, middle, np.nan)


# -------------------------------------------------------------------------------------------- features
def build_features(frame: pd.DataFrame, queries: pd.DataFrame, config: ScoringConfig) -> pd.DataFrame:
    """Features of each (invoice_id, as_of) query, using only what was known on `as_of`.

    `queries` has columns `invoice_id` (present in `frame`) and `as_of` (day number). The result has one
    row per query, in the same order, with `MODEL_FEATURES` and context columns.
    """
    own_row = pd.Index(frame["invoice_id"]).get_indexer(queries["invoice_id"].to_numpy())
    if np.any(own_row < 0):
        raise ScoringError(f"Facture inconnue : {queries['invoice_id'].to_numpy()[own_row < 0][0]}.")
    own = frame.iloc[own_row].reset_index(drop=True)
    as_of = queries["as_of"].to_numpy(dtype=np.int64)
    n = len(queries)

    # Every (query, other invoice of the same customer issued by as_of) pair, grouped by query and in row
    # order inside each query (the order the sums below are taken in), built from per-customer blocks.
    customer_codes, _ = pd.factorize(frame["customer_id"], sort=False)
    pairs = _CustomerPairs(customer_codes, customer_codes[own_row])
    pair_q, pair_row = pairs.query, pairs.row
    q_day = as_of[pair_q]
    issue = frame["issue"].to_numpy()[pair_row]
    keep = (issue <= q_day) & (pair_row != own_row[pair_q])
    kept = np.flatnonzero(keep)
    pair_q, pair_row, q_day, issue = pair_q[kept], pair_row[kept], q_day[kept], issue[kept]

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
    usual_amount = pairs.median(frame["amount"].to_numpy(), keep)
    usual_terms = pairs.median(frame["terms"].to_numpy(), keep)
    with np.errstate(divide="ignore", invalid="ignore"):
        stats = pd.DataFrame(
            {
                "n_invoices": n_invoices,
                "usual_amount": usual_amount,
                "usual_terms": usual_terms,
                "n_resolved": per_query(known.astype(float)),
                "n_late": per_query(late.astype(float)),
                "mean_delay": np.where(n_paid > 0, per_query(delay) / n_paid, np.nan),
                "max_delay": np.where(n_paid > 0, max_delay, np.nan),
                "overdue_count": per_query(overdue_open.astype(float)),
                "open_amount": per_query(np.where(~paid_known, pair_amount, 0.0)),
                "first_issue": np.where(n_invoices > 0, first_issue, np.nan),
            }
        )

    # The `recent_window` most recent known outcomes per query (latest due date first, then latest issue,
    # then row): each query's pairs are visited in that order, known outcomes only.
    known_pair = np.zeros(len(keep), dtype=bool)
    known_pair[kept[known]] = True
    late_pair = np.zeros(len(keep), dtype=bool)
    late_pair[kept[late]] = True
    by_recency = pairs.ordered_by(np.arange(len(frame)), -frame["issue"].to_numpy(), -frame["due"].to_numpy())
    by_recency = by_recency[known_pair[by_recency]]
    sorted_q = pairs.query[by_recency]
    n_known = np.bincount(sorted_q, minlength=n)
    rank = np.arange(len(sorted_q)) - (np.cumsum(n_known) - n_known)[sorted_q]
    in_window = rank < config.recent_window
    recent_n = np.bincount(sorted_q[in_window], minlength=n)
    recent_late = np.bincount(
        sorted_q[in_window], weights=late_pair[by_recency][in_window].astype(float), minlength=n
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
        features = pd.DataFrame(
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
                # context for reasons and payment dates (not learned from)
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
    return features


def _company_median_amount(frame: pd.DataFrame, as_of: np.ndarray) -> np.ndarray:
    """Median amount of the company's invoices issued by each date (NaN before the first one)."""
    order = np.argsort(frame["issue"].to_numpy(), kind="stable")
    issues = frame["issue"].to_numpy()[order]
    amounts = frame["amount"].to_numpy()[order]
    days, inverse = np.unique(as_of, return_inverse=True)
    counts = np.searchsorted(issues, days, side="right")
    medians = np.array([np.median(amounts[:count]) if count else np.nan for count in counts])
    return medians[inverse]


def training_snapshots(frame: pd.DataFrame, as_of: dt.date, config: ScoringConfig) -> pd.DataFrame:
    """Labelled (invoice_id, as_of, label, at_issue) rows for learning, all known by `as_of`.

    Only invoices whose due date + grace is before `as_of` are used: their outcome is known whichever it
    is. Taking also recent invoices already paid would keep the on-time ones and drop the late ones, a
    selection bias. Each invoice gives a snapshot at its issue date and every `snapshot_step_days` while
    still open and not yet late, so the model also learns "still unpaid 3 days before the due date";
    weights make each invoice count once.
    """
    day = to_day(as_of)
    due_grace = frame["due"].to_numpy() + config.grace_days
    eligible = frame[due_grace < day]
    if eligible.empty:
        return pd.DataFrame({"invoice_id": [], "as_of": [], "label": [], "at_issue": []})
    labels = final_late_label(eligible, config.grace_days)
    issue = eligible["issue"].to_numpy()
    paid = eligible["paid"].to_numpy()
    limit = eligible["due"].to_numpy() + config.grace_days  # still "not late" up to this day
    step = config.snapshot_step_days
    counts = np.floor((limit - issue) / step).astype(int) + 1
    repeated = np.repeat(np.arange(len(eligible)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    snapshot_day = issue[repeated] + offsets * step
    still_open = np.isnan(paid[repeated]) | (paid[repeated] > snapshot_day)
    keep = (offsets == 0) | still_open
    rows = repeated[keep]
    return pd.DataFrame(
        {
            "invoice_id": eligible["invoice_id"].to_numpy()[rows],
            "as_of": snapshot_day[keep].astype(np.int64),
            "label": labels[rows],
            "at_issue": offsets[keep] == 0,
        }
    )


def labelled_counts(frame: pd.DataFrame, as_of: dt.date, config: ScoringConfig) -> tuple[int, int]:
    """(late, on time) among invoices whose outcome is known by `as_of` (due + grace already passed)."""
    eligible = frame[frame["due"].to_numpy() + config.grace_days < to_day(as_of)]
    late = int(final_late_label(eligible, config.grace_days).sum())
    return late, len(eligible) - late


__all__ = [
    "MODEL_FEATURES",
    "InvoiceRecord",
    "ScoringConfig",
    "build_features",
    "from_day",
    "history_frame",
    "labelled_counts",
    "open_invoice_ids",
    "outcome_known_day",
    "to_day",
    "training_snapshots",
]
