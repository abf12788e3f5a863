"""Expected payment date of open invoices, with an optimistic–pessimistic range.

Why this shape: the cash forecast needs, per invoice, a realistic date and a range. The delay after the
due date is modelled as a mixture of two pooled distributions learned from the company's own history,
"paid on time" and "paid late", weighted by the invoice's calibrated late probability:

    F(x) = (1 − p) · F_on_time(x) + p · F_late(x − shift_customer)

- The pooled distributions are the company's observed delays plus a few pseudo-observations from a
  default shape (on time: paid 0–10 days early; late: 1 + Gamma(1.5, 10) days), so that a company with
  ten paid invoices still gets sensible ranges (shrinkage toward the prior, like the risk score).
- Invoices still unpaid when the model is fitted are counted at their delay so far (a lower bound):
  dropping them would make late payers look faster than they are.
- A customer's own late delays shift the late part: shift = n/(n + 3) × (customer mean − pool mean).
- The invoice is unpaid on `as_of`, so the distribution is conditioned on "paid after as_of".
Dates: optimistic = 20th percentile, expected = median, pessimistic = 80th percentile of the delay.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from etabli.engines.scoring.invoices import ScoringConfig, to_day

_GRID = np.arange(-60, 366)  # delay in days after the due date
_PRIOR_WEIGHT = 10.0
_CUSTOMER_SHRINK = 3.0
QUANTILES = (0.2, 0.5, 0.8)


@dataclass(frozen=True)
class PaymentDateEstimate:
    """When an open invoice should be paid: a range, not a promise."""

    optimistic: dt.date
    expected: dt.date
    pessimistic: dt.date


def _default_on_time() -> np.ndarray:
    weights = ((_GRID >= -10) & (_GRID <= 0)).astype(float)
    return weights / weights.sum()


def _default_late(grace_days: int) -> np.ndarray:
    x = _GRID.astype(float) - grace_days - 1
    weights = np.where(x >= 0, np.sqrt(np.maximum(x, 0) + 0.5) * np.exp(-x / 10.0), 0.0)
    return weights / weights.sum()


def _histogram(delays: np.ndarray) -> np.ndarray:
    """Counts per grid day; delays beyond the grid are dropped rather than piled up on its last day."""
    days = np.round(delays).astype(int)
    days = days[(days >= _GRID[0]) & (days <= _GRID[-1])]
    return np.bincount(days - _GRID[0], minlength=_GRID.size).astype(float)


class PaymentDelayModel:
    """Pooled, shrunk delay distributions; `estimate` gives dates for open invoices."""

    def __init__(self, config: ScoringConfig | None = None) -> None:
        self.config = config or ScoringConfig()

    def fit(self, frame: pd.DataFrame, as_of: dt.date) -> PaymentDelayModel:
        day = to_day(as_of)
        past_due = frame[frame["due"].to_numpy() < day]
        paid_past = past_due["paid"].to_numpy()
        known = ~np.isnan(paid_past) & (paid_past <= day)
        delays = np.where(known, paid_past - past_due["due"].to_numpy(), day - past_due["due"].to_numpy())
        is_late = delays > self.config.grace_days
        on_time_counts = _histogram(delays[~is_late])
        late_counts = _histogram(delays[is_late])
        self.n_on_time_, self.n_late_ = int((~is_late).sum()), int(is_late.sum())
        on_time = on_time_counts + _PRIOR_WEIGHT * _default_on_time()
        late = late_counts + _PRIOR_WEIGHT * _default_late(self.config.grace_days)
        self._cdf_on_time = np.cumsum(on_time / on_time.sum())
        self._cdf_late = np.cumsum(late / late.sum())
        pool_late_mean = float(np.sum(_GRID * late) / late.sum())

        customers = past_due["customer_id"].to_numpy()
        late_frame = pd.DataFrame({"customer": customers[is_late], "delay": delays[is_late]})
        stats = late_frame.groupby("customer")["delay"].agg(["mean", "size"])
        shrink = stats["size"] / (stats["size"] + _CUSTOMER_SHRINK)
        self._shifts: dict[str, int] = {
            str(c): round(s) for c, s in (shrink * (stats["mean"] - pool_late_mean)).items()
        }
        return self

    def estimate_days(
        self,
        customer_ids: np.ndarray,
        due_days: np.ndarray,
        as_of_days: np.ndarray,
        late_probability: np.ndarray,
    ) -> np.ndarray:
        """(n, 3) payment day numbers at the QUANTILES, conditioned on being unpaid at `as_of`."""
        shifts = np.array([self._shifts.get(str(c), 0) for c in customer_ids], dtype=np.int64)
        p = np.clip(np.asarray(late_probability, dtype=float), 0.0, 1.0)
        last = _GRID.size - 1

        def mixture_cdf(index: np.ndarray) -> np.ndarray:
            late_index = index - shifts
            late = np.where(late_index < 0, 0.0, self._cdf_late[np.clip(late_index, 0, last)])
            return (1 - p) * self._cdf_on_time[index] + p * late

        due = np.asarray(due_days, dtype=np.int64)
        today = np.asarray(as_of_days, dtype=np.int64)
        cut = np.clip(today - due - _GRID[0], -1, last)  # unpaid so far ⇒ delay index > cut
        below = np.where(cut >= 0, mixture_cdf(np.maximum(cut, 0)), 0.0)
        exhausted = (1.0 - below) < 1e-6
        result = np.empty((len(due), len(QUANTILES)), dtype=np.int64)
        for k, q in enumerate(QUANTILES):
            target = below + q * (1.0 - below) - 1e-12
            low = np.minimum(cut + 1, last)
            high = np.full(len(due), last)
            exhausted |= mixture_cdf(high) < target
            # Vectorised bisection for the first grid day where the conditional CDF reaches q.
            while np.any(active := low < high):
                middle = (low + high) // 2
                reached = mixture_cdf(middle) >= target
                high = np.where(active & reached, middle, high)
                low = np.where(active & ~reached, middle + 1, low)
            result[:, k] = due + _GRID[low]
        # Later than every delay ever seen: say "soon after today", widening with the quantile.
        fallback = today[:, None] + np.array([7, 15, 30])[None, :]
        result[exhausted] = fallback[exhausted]
        # Never before tomorrow for an invoice unpaid today.
        return np.maximum(result, today[:, None] + 1)

    def estimate(
        self,
        customer_ids: np.ndarray,
        due_days: np.ndarray,
        as_of_days: np.ndarray,
        late_probability: np.ndarray,
    ) -> list[PaymentDateEstimate]:
        days = self.estimate_days(customer_ids, due_days, as_of_days, late_probability)
        # Day numbers → datetime.date in bulk (numpy's day-precision datetimes convert to date objects).
        dates = (days + np.datetime64("1970-01-01", "D")).astype(object).tolist()
        return [PaymentDateEstimate(a, b, c) for a, b, c in dates]


__all__ = ["QUANTILES", "PaymentDateEstimate", "PaymentDelayModel"]
