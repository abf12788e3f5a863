"""Forecast of the unexplained remainder: the flows that no open invoice or recurring charge announces.

What the remainder is. At a forecast date the engine knows the open customer and supplier invoices and
the recurring charges. Everything else that will hit the account — payments of invoices not yet issued,
card expenses, cheques, small sales — is the remainder. It is estimated from the history, after removing
the lines of the recurring charges, in four magnitude series per account: invoice-linked receipts and
payments (lines whose `document_date` is known) and other receipts and payments.

Model (a structural model rather than ETS/MSTL, see benchmarks/cash_forecast.py for the comparison):
expected flow of a series on day t = level × growth × annual seasonality(month of t) × bank calendar(t),
where the bank calendar is near zero on weekends and French/TARGET2 holidays, has a weekday profile, a
day-of-month profile (month-end and 10th payments) and a catch-up factor on the day after a holiday.
Invoice-linked flows get a ramp: a payment on day T+h comes from an invoice not yet issued at T only if its
payment delay is shorter than h, so only that share (the empirical delay CDF) is added on top of the open
invoices — without it the forecast would count the same customer payments twice.

Rare shocks (a dividend, an exceptional order: days above an "ordinary day" ceiling) are averaged over
three years instead of the level window, so a once-a-year event adds its yearly rate rather than being
extrapolated for months. Monthly seasonal factors are shrunk towards 1 by empirical Bayes (their
year-to-year noise against their spread), so a few big contracts landing one October do not make a season.

Uncertainty comes from the history itself: the model is replayed at hundreds of past dates ("pseudo-
origins", level re-estimated each time from the data before that date) and the cumulative error of the
unknown flows is recorded over the whole horizon. Those error paths, rescaled to today's activity level,
are drawn at random in the scenarios: they carry the real lumpiness, autocorrelation and bias of the
company's flows, which a Gaussian interval from ETS on such intermittent series does not. The same replay
chooses how much of the expectation to trust (`_trust`): all of it for steady flows, less for a company
living on a few big contracts, where the average new business is a poor guess of the next two months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from etabli.engines.spending.calendar import BankCalendar
from etabli.engines.spending.types import BankLine

COMPONENTS = ("invoice_in", "invoice_out", "other_in", "other_out")
SIGNS = np.array([1.0, -1.0, 1.0, -1.0])
_DOM_BINS = np.array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 6, 6, 6, 6])
_N_DOM_BINS = 7
_MIN_ORIGINS = 30
_MIN_HISTORY_DAYS = 28
_SHOCK_WINDOW = 3 * 365


def _shrunk_factors(ratios: list[list[float]], prior_count: float) -> np.ndarray:
    """Monthly factors shrunk towards 1 by how much they stand out from their own year-to-year noise.

    Empirical Bayes: the spread of a month's ratio across years (noise) is compared with the spread of
    the monthly means (signal). A few big contracts landing in October one year make a noisy October,
    which is pulled back to 1; a real summer peak repeating every year is kept.
    """
    means = np.array([np.mean(values) if values else 1.0 for values in ratios])
    counts = np.array([len(values) for values in ratios])
    spreads = [np.var(values, ddof=1) / len(values) for values in ratios if len(values) >= 2]
    if spreads:
        noise = float(np.mean(spreads))
        signal = max(float(np.var(means[counts > 0])) - noise, 0.0)
        weight = signal / (signal + noise) if signal + noise > 0 else 0.0
        weights = np.full(12, weight)
    else:  # a single year: no noise estimate, trust it partly
        weights = counts / (counts + prior_count)
    return 1 + (means - 1) * weights


def _ordinary_ceiling(y: np.ndarray) -> float:
    """Largest daily flow still considered ordinary: well above the usual busy day, below rare shocks."""
    active = y[y > 0]
    if active.size < 20:
        return float("inf")
    return float(max(np.quantile(active, 0.98), 8 * np.median(active)))


@dataclass(frozen=True)
class RemainderForecast:
    """Expected remainder per account and day, plus cumulative error paths to draw scenarios from."""

    expected: dict[str, np.ndarray]  # account → (H,) signed expected daily flow
    error_paths: dict[str, np.ndarray]  # account → (n_paths, H) cumulative error, same path index across accounts
    path_weights: np.ndarray  # (n_paths,) probabilities of drawing each path
    method: str


@dataclass
class _CalendarFeatures:
    business: np.ndarray
    weekday: np.ndarray
    dom_bin: np.ndarray
    after_holiday: np.ndarray
    month_of_year: np.ndarray
    month_index: np.ndarray


@dataclass
class _AccountData:
    series: np.ndarray  # (4, n) magnitudes per component
    capped: np.ndarray  # (4, n) the same, each day capped at the component's "ordinary day" ceiling
    excess: np.ndarray  # (4, n) what the caps removed: rare shocks (a dividend, an exceptional order)
    pay_idx: np.ndarray
    doc_idx: np.ndarray  # == pay_idx when no document date
    amount: np.ndarray
    has_doc: np.ndarray
    inflow: np.ndarray
    shapes: np.ndarray | None = None  # (4, n + H_max) expected-shape per component


class RemainderModel:
    """Structural daily model of the unexplained flows, with pseudo-origin error paths.

    `level_window`: days of history that give the current level (half a year balances reactivity against
    the lumpiness of invoice payments); `growth_damping`: exponent applied to the year-over-year growth
    (1 = extrapolate it fully, 0 = ignore it); `season_shrink`: pseudo-count pulling each monthly factor
    towards 1 when a single year is available (with more, empirical Bayes decides); `max_origins`: cap on
    replayed dates (speed); `recency_half_life`: recent replays weigh more.
    """

    def __init__(
        self,
        calendar: BankCalendar,
        *,
        level_window: int = 182,
        growth_damping: float = 0.5,
        season_shrink: float = 1.0,
        max_origins: int = 500,
        origin_span_days: int = 3 * 365,
        recency_half_life: float = 730.0,
    ) -> None:
        self.calendar = calendar
        self.level_window = level_window
        self.growth_damping = growth_damping
        self.season_shrink = season_shrink
        self.max_origins = max_origins
        self.origin_span_days = origin_span_days
        self.recency_half_life = recency_half_life
        self._accounts: dict[str, _AccountData] = {}
        self._cache: dict[tuple[int, bool, bool], RemainderForecast] = {}

    # ------------------------------------------------------------------ fit

    def fit(self, lines_by_account: Mapping[str, Sequence[BankLine]], *, as_of: dt.date, start: dt.date,
            max_horizon: int = 366) -> RemainderModel:
        """Learn from the non-recurring lines of each account between `start` and `as_of` (inclusive)."""
        self.as_of = as_of
        self.start = start
        self.n_days = (as_of - start).days + 1
        self.max_horizon = max_horizon
        self._features = self._calendar_features(start, self.n_days + max_horizon)
        self._accounts = {account: self._account_data(lines) for account, lines in lines_by_account.items()}
        for data in self._accounts.values():
            data.shapes = np.vstack([self._shape(data.capped[c]) for c in range(len(COMPONENTS))])
        self._growth = {account: self._growth_factors(data) for account, data in self._accounts.items()}
        self._cache.clear()
        return self

    @property
    def history_days(self) -> int:
        return self.n_days

    def _calendar_features(self, start: dt.date, n: int) -> _CalendarFeatures:
        days = [start + dt.timedelta(days=i) for i in range(n)]
        business = self.calendar.business_mask(start, n)
        holiday = self.calendar.holiday_mask(start, n)
        # a business day right after closed days that include a weekday holiday (catch-up day)
        after_holiday = np.zeros(n, dtype=bool)
        closed_run_has_holiday = False
        for i in range(n):
            if business[i]:
                after_holiday[i] = closed_run_has_holiday
                closed_run_has_holiday = False
            else:
                closed_run_has_holiday = closed_run_has_holiday or bool(holiday[i])
        return _CalendarFeatures(
            business=business,
            weekday=np.array([day.weekday() for day in days]),
            dom_bin=_DOM_BINS[np.array([day.day - 1 for day in days])],
            after_holiday=after_holiday,
            month_of_year=np.array([day.month - 1 for day in days]),
            month_index=np.array([(day.year - start.year) * 12 + day.month - start.month for day in days]),
        )

    def _account_data(self, lines: Sequence[BankLine]) -> _AccountData:
        n = self.n_days
        series = np.zeros((len(COMPONENTS), n))
        pay_idx, doc_idx, amounts, has_doc, inflow = [], [], [], [], []
        for line in lines:
            index = (line.date - self.start).days
            if not 0 <= index < n:
                continue
            value = float(line.amount)
            linked = line.document_date is not None
            component = (0 if value > 0 else 1) if linked else (2 if value > 0 else 3)
            series[component, index] += abs(value)
            pay_idx.append(index)
            doc_idx.append(min(index, (line.document_date - self.start).days) if linked else index)
            amounts.append(value)
            has_doc.append(linked)
            inflow.append(value > 0)
        capped = np.vstack([np.minimum(series[c], _ordinary_ceiling(series[c])) for c in range(len(COMPONENTS))])
        return _AccountData(
            series=series,
            capped=capped,
            excess=series - capped,
            pay_idx=np.asarray(pay_idx, dtype=np.int64),
            doc_idx=np.asarray(doc_idx, dtype=np.int64),
            amount=np.asarray(amounts, dtype=float),
            has_doc=np.asarray(has_doc, dtype=bool),
            inflow=np.asarray(inflow, dtype=bool),
        )

    def _shape(self, y: np.ndarray) -> np.ndarray:
        """Expected relative flow per day (history + future): bank calendar × annual seasonality."""
        f = self._features
        n = self.n_days
        total = n + self.max_horizon
        if y.sum() <= 0:
            return np.where(f.business, 1.0, 0.0)
        business = f.business[:n]
        recent = np.arange(n) >= n - 3 * 365  # calendar habits of the last three years
        mean_business = y[business & recent].mean() if (business & recent).any() else 0.0
        if mean_business <= 0:
            return np.where(f.business, 1.0, 0.0)
        closed = ~business & recent
        closed_share = float(np.clip(y[closed].mean() / mean_business, 0.0, 1.0)) if closed.any() else 0.0
        plain = business & recent & ~f.after_holiday[:n]
        weekday = np.ones(7)
        for w in range(5):
            selected = plain & (f.weekday[:n] == w)
            count = int(selected.sum())
            if count:
                ratio = y[selected].mean() / mean_business
                weekday[w] = 1 + (ratio - 1) * count / (count + 10)
        adjusted = np.where(business, y / weekday[f.weekday[:n]], 0.0)
        dom = np.ones(_N_DOM_BINS)
        base = adjusted[plain].mean() if plain.any() else 0.0
        if base > 0:
            for b in range(_N_DOM_BINS):
                selected = plain & (f.dom_bin[:n] == b)
                count = int(selected.sum())
                if count:
                    ratio = adjusted[selected].mean() / base
                    dom[b] = 1 + (ratio - 1) * count / (count + 20)
        catch_up = 1.5
        selected = business & recent & f.after_holiday[:n]
        count = int(selected.sum())
        if count:
            expected = mean_business * weekday[f.weekday[:n][selected]] * dom[f.dom_bin[:n][selected]]
            ratio = float(y[selected].sum() / expected.sum()) if expected.sum() > 0 else 1.5
            catch_up = (1.5 * 5 + ratio * count) / (5 + count)
        calendar_shape = np.where(
            f.business,
            weekday[f.weekday] * dom[f.dom_bin] * np.where(f.after_holiday, catch_up, 1.0),
            closed_share,
        )[:total]
        season = self._seasonality(y, calendar_shape[:n])
        return calendar_shape * season[f.month_of_year[:total]]

    def _seasonality(self, y: np.ndarray, calendar_shape: np.ndarray) -> np.ndarray:
        """Monthly factors by ratio to a centred 12-month moving average, shrunk towards 1."""
        f = self._features
        n = self.n_days
        months = f.month_index[:n]
        first_full = months[0] + (0 if self.start.day == 1 else 1)
        last_full = months[-1] - (0 if (self.as_of + dt.timedelta(days=1)).day == 1 else 1)
        n_full = last_full - first_full + 1
        if n_full < 12:
            return np.ones(12)
        flows = np.bincount(months, weights=y)[first_full:last_full + 1]
        expected = np.bincount(months, weights=calendar_shape)[first_full:last_full + 1]
        rate = np.divide(flows, expected, out=np.zeros_like(flows), where=expected > 0)
        smooth = np.convolve(rate, np.ones(12) / 12, mode="valid")  # mean of months m..m+11
        ratios: list[list[float]] = [[] for _ in range(12)]
        month_of_year = (self.start.month - 1 + np.arange(first_full, last_full + 1)) % 12
        for position in range(n_full):
            centre = int(np.clip(position - 6, 0, len(smooth) - 1))
            if smooth[centre] > 0:
                ratios[month_of_year[position]].append(rate[position] / smooth[centre])
        factors = _shrunk_factors(ratios, self.season_shrink)
        factors = np.clip(factors, 0.05, 5.0)
        return factors / factors.mean()

    def _growth_factors(self, data: _AccountData) -> np.ndarray:
        """Year-over-year growth of each component's calendar-adjusted level (1 when under two years)."""
        n = self.n_days
        growth = np.ones(len(COMPONENTS))
        if n < 730:
            return growth
        for c in range(len(COMPONENTS)):
            y, shape = data.capped[c], data.shapes[c]
            last = y[n - 365:n].sum() / max(shape[n - 365:n].sum(), 1e-9)
            previous = y[n - 730:n - 365].sum() / max(shape[n - 730:n - 365].sum(), 1e-9)
            if previous > 0 and last > 0:
                growth[c] = float(np.clip(last / previous, 0.5, 2.0)) ** self.growth_damping
        return growth

    # ------------------------------------------------------------------ predict

    def forecast(self, horizon: int, *, known_in: bool, known_out: bool, n_fallback_paths: int = 400,
                 seed: int = 0) -> RemainderForecast:
        """Expected daily remainder and error paths for `horizon` days after `as_of`.

        `known_in` / `known_out`: whether open customer / supplier invoices are given to the forecast. When
        they are not, invoice-linked history is treated as unforeseeable (no ramp), so nothing is lost.
        """
        if horizon > self.max_horizon:
            raise ValueError("horizon beyond the fitted calendar")
        key = (horizon, known_in, known_out)
        if key not in self._cache:
            self._cache[key] = self._forecast(horizon, known_in, known_out, n_fallback_paths, seed)
        return self._cache[key]

    def _ramps(self, data: _AccountData, horizon: int, known_in: bool, known_out: bool) -> np.ndarray:
        ramps = np.ones((len(COMPONENTS), horizon))
        k = np.arange(1, horizon + 1)
        for c, known, is_in in ((0, known_in, True), (1, known_out, False)):
            if not known:
                continue
            selected = data.has_doc & (data.inflow == is_in)
            if not selected.any():
                continue
            delays = (data.pay_idx - data.doc_idx)[selected]
            weights = np.abs(data.amount[selected])
            recent = data.pay_idx[selected] >= self.n_days - 2 * 365
            if recent.sum() >= 10:
                delays, weights = delays[recent], weights[recent]
            order = np.argsort(delays)
            cdf_delays, cdf = delays[order], np.cumsum(weights[order]) / weights.sum()
            # share of payments on day T+k with delay < k (invoice issued after T)
            position = np.searchsorted(cdf_delays, k, side="left")
            ramps[c] = np.where(position > 0, cdf[np.maximum(position - 1, 0)], 0.0)
        return ramps

    def _levels(self, data: _AccountData, ends: np.ndarray) -> np.ndarray:
        """(4, len(ends)) level = flow / expected shape over trailing windows ending at each index.

        Ordinary days (capped series) use the `level_window`; the rare shocks above the caps are averaged
        over three years instead, so a once-a-year dividend of 700 k€ adds its yearly rate to the forecast
        rather than being extrapolated for half a year after it happened.
        """
        n = self.n_days
        zero = np.zeros((len(COMPONENTS), 1))
        cum_s = np.concatenate([zero, np.cumsum(data.shapes[:, :n], axis=1)], axis=1)
        levels = np.zeros((len(COMPONENTS), len(ends)))
        for values, window in ((data.capped, self.level_window), (data.excess, _SHOCK_WINDOW)):
            cum_y = np.concatenate([zero, np.cumsum(values, axis=1)], axis=1)
            lo = np.maximum(ends + 1 - window, 0)
            flows = cum_y[:, ends + 1] - cum_y[:, lo]
            shapes = cum_s[:, ends + 1] - cum_s[:, lo]
            levels += np.divide(flows, shapes, out=np.zeros_like(flows), where=shapes > 1e-9)
        return levels

    def _expected(self, data: _AccountData, growth: np.ndarray, levels: np.ndarray, origins: np.ndarray,
                  ramps: np.ndarray, horizon: int) -> np.ndarray:
        """(len(origins), horizon) signed expected daily flow after each origin."""
        k = np.arange(1, horizon + 1)
        result = np.zeros((len(origins), horizon))
        index = origins[:, None] + k[None, :]
        exponent = (self.level_window / 2 + k) / 365.0
        for c in range(len(COMPONENTS)):
            if not levels[c].any():
                continue
            trend = growth[c] ** exponent
            result += SIGNS[c] * levels[c][:, None] * data.shapes[c][index] * (trend * ramps[c])[None, :]
        return result

    def _forecast(self, horizon: int, known_in: bool, known_out: bool, n_fallback: int, seed: int
                  ) -> RemainderForecast:
        n = self.n_days
        now = np.array([n - 1])
        expected: dict[str, np.ndarray] = {}
        ramps_by_account: dict[str, np.ndarray] = {}
        for account, data in self._accounts.items():
            ramps = self._ramps(data, horizon, known_in, known_out)
            ramps_by_account[account] = ramps
            levels = self._levels(data, now)
            expected[account] = self._expected(data, self._growth[account], levels, now, ramps, horizon)[0]
        if n < _MIN_HISTORY_DAYS or not self._accounts:
            zeros = {account: np.zeros((1, horizon)) for account in self._accounts}
            return RemainderForecast({a: np.zeros(horizon) for a in self._accounts}, zeros, np.ones(1), "none")
        o_hi = n - 1 - horizon
        # replayed dates start once a full level window of history exists, when the history allows it
        o_lo = max(self.level_window if o_hi - self.level_window >= 2 * _MIN_ORIGINS else 90,
                   o_hi - self.origin_span_days)
        if o_hi - o_lo + 1 < _MIN_ORIGINS:
            paths = self._bootstrap_paths(expected, horizon, n_fallback, seed)
            return RemainderForecast(expected, paths, np.full(n_fallback, 1.0 / n_fallback), "bootstrap")
        step = max(1, int(np.ceil((o_hi - o_lo + 1) / self.max_origins)))
        origins = np.arange(o_hi, o_lo - 1, -step)[::-1]
        weights = 0.5 ** ((o_hi - origins) / self.recency_half_life)
        weights /= weights.sum()
        predicted: dict[str, np.ndarray] = {}
        actual: dict[str, np.ndarray] = {}
        for account, data in self._accounts.items():
            levels = self._levels(data, origins)
            scale_then = self._gross_scale(data, origins)
            scale_now = self._gross_scale(data, now)[0]
            ratio = np.divide(scale_now, scale_then, out=np.zeros_like(scale_then), where=scale_then > 0)
            predicted[account] = np.cumsum(
                self._expected(data, self._growth[account], levels, origins, ramps_by_account[account], horizon),
                axis=1,
            ) * ratio[:, None]
            actual[account] = self._actual_unknown(data, origins, horizon, known_in, known_out) * ratio[:, None]
        trust = self._trust(predicted, actual, weights, horizon)
        errors = {account: actual[account] - trust * predicted[account] for account in self._accounts}
        expected = {account: trust * values for account, values in expected.items()}
        return RemainderForecast(expected, errors, weights, f"pseudo_origins(trust={trust:g})")

    @staticmethod
    def _trust(predicted: dict[str, np.ndarray], actual: dict[str, np.ndarray], weights: np.ndarray,
               horizon: int) -> float:
        """How much of the structural expectation to keep, chosen on the company's own replayed past.

        For steady flows the full expectation is best; for a company living on a few big contracts the
        average new business is a poor guess of the next two months, and a partial (or no) expectation
        gave smaller errors when replayed. The choice minimises the weighted absolute error of the total
        at a third, two thirds and the end of the horizon.
        """
        columns = sorted({max(horizon // 3 - 1, 0), max(2 * horizon // 3 - 1, 0), horizon - 1})
        total_predicted = sum(values[:, columns] for values in predicted.values())
        total_actual = sum(values[:, columns] for values in actual.values())
        best, best_error = 1.0, float("inf")
        for trust in (1.0, 0.75, 0.5, 0.25, 0.0):
            error = float(weights @ np.abs(total_actual - trust * total_predicted).mean(axis=1))
            if error < best_error * 0.98:  # prefer the full model unless shrinking clearly helps
                best, best_error = trust, error
        return best

    def _gross_scale(self, data: _AccountData, ends: np.ndarray) -> np.ndarray:
        """Mean daily gross flow (all four series) over the trailing level window."""
        cum = np.concatenate([[0.0], np.cumsum(data.series.sum(axis=0))])
        lo = np.maximum(ends + 1 - self.level_window, 0)
        return (cum[ends + 1] - cum[lo]) / np.maximum(ends + 1 - lo, 1)

    def _actual_unknown(self, data: _AccountData, origins: np.ndarray, horizon: int, known_in: bool,
                        known_out: bool) -> np.ndarray:
        """(len(origins), horizon) cumulative flow that was not known at each origin, from the real lines."""
        if data.pay_idx.size == 0:
            return np.zeros((len(origins), horizon))
        p = data.pay_idx
        known_direction = np.where(data.inflow, known_in, known_out)
        unknown_from = np.where(data.has_doc & known_direction, np.minimum(data.doc_idx, p), p)
        # line counts for origin o when p - horizon <= o <= min(p, unknown_from) - 1
        o_first, o_last = origins[0], origins[-1]
        lo = np.maximum(p - horizon, o_first)
        hi = np.minimum(np.minimum(p, unknown_from) - 1, o_last)
        counts = np.maximum(hi - lo + 1, 0)
        total = int(counts.sum())
        n_grid = o_last - o_first + 1
        dense = np.zeros((n_grid, horizon))
        if total:
            starts = np.repeat(lo, counts)
            offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
            rows = starts + offsets
            steps = np.repeat(p, counts) - rows
            flat = (rows - o_first) * horizon + (steps - 1)
            dense = np.bincount(flat, weights=np.repeat(data.amount, counts), minlength=n_grid * horizon)
            dense = dense.reshape(n_grid, horizon)
        return np.cumsum(dense[origins - o_first], axis=1)

    def _bootstrap_paths(self, expected: dict[str, np.ndarray], horizon: int, n_paths: int, seed: int
                         ) -> dict[str, np.ndarray]:
        """Short history: cumulative sums of 7-day blocks of daily residuals, drawn at random."""
        rng = np.random.default_rng([seed, 7919])
        n = self.n_days
        block = 7
        n_blocks = int(np.ceil(horizon / block))
        starts = rng.integers(0, max(n - block, 1), size=(n_paths, n_blocks))
        paths = {}
        for account, data in self._accounts.items():
            levels = self._levels(data, np.array([n - 1]))
            fitted = np.zeros(n)
            for c in range(len(COMPONENTS)):
                fitted += SIGNS[c] * levels[c][0] * data.shapes[c][:n]
            actual = (data.series * SIGNS[:, None]).sum(axis=0)
            residual = np.concatenate([actual - fitted, np.zeros(block)])
            index = (starts[:, :, None] + np.arange(block)[None, None, :]).reshape(n_paths, -1)[:, :horizon]
            paths[account] = np.cumsum(residual[np.minimum(index, n - 1)], axis=1)
        return paths
