"""Exact, bounded subset-sum: which of a partner's open invoices add up to a payment.

Why meet-in-the-middle and not a DP over cents: amounts of a BTP company reach hundreds of thousands of
euros (tens of millions of cents, too large for a table per line), credit notes make some amounts
negative, and fees turn the target into a window. Splitting the n items into two halves, listing the
2^(n/2) sums of each half with numpy and matching them with a binary search is exact, handles negative
amounts and windows, and counts every solution — which is what tells an unambiguous grouped payment from
an ambiguous one. With n capped at 22 items per partner it is 2 × 2048 sums: well under a millisecond.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MAX_ITEMS = 24


@dataclass(frozen=True)
class SubsetSolution:
    indices: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class SubsetResult:
    solutions: list[SubsetSolution]
    #: Number of subsets in the window (all of them, not only those listed).
    count: int


def _half_sums(amounts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All 2^k subset sums of ``amounts`` and the bit masks that produce them."""
    k = len(amounts)
    masks = np.arange(1 << k, dtype=np.int64)
    if k == 0:
        return np.zeros(1, dtype=np.int64), masks
    bits = (masks[:, None] >> np.arange(k, dtype=np.int64)) & 1
    return bits @ amounts, masks


def subset_sums(
    amounts_cents: Sequence[int],
    low: int,
    high: int,
    *,
    target: int | None = None,
    min_size: int = 2,
    max_size: int | None = None,
    max_solutions: int = 10,
) -> SubsetResult:
    """Subsets (of at least ``min_size`` items) whose sum lies in [low, high], closest to ``target`` first.

    ``count`` counts every subset in the window that respects the sizes; ``solutions`` lists up to
    ``max_solutions`` of them, best first (closest to ``target``, then fewer items, then lower indices —
    callers pass items oldest first so older invoices are preferred, as payers usually settle them first).
    """
    n = len(amounts_cents)
    if n > MAX_ITEMS:
        raise ValueError(f"subset_sums is bounded to {MAX_ITEMS} items, got {n}")
    if n == 0 or low > high:
        return SubsetResult(solutions=[], count=0)
    values = np.asarray(amounts_cents, dtype=np.int64)
    half = n // 2
    left_sums, left_masks = _half_sums(values[:half])
    right_sums, right_masks = _half_sums(values[half:])
    order = np.argsort(right_sums, kind="stable")
    right_sorted = right_sums[order]
    starts = np.searchsorted(right_sorted, low - left_sums, side="left")
    stops = np.searchsorted(right_sorted, high - left_sums, side="right")
    pairs: list[tuple[int, int]] = []
    for left_index in np.nonzero(stops > starts)[0]:
        for position in range(int(starts[left_index]), int(stops[left_index])):
            pairs.append((int(left_masks[left_index]), int(right_masks[order[position]])))
            if len(pairs) > 5000:  # pathological (many equal amounts): enough to know it is ambiguous
                break
    aim = high if target is None else target
    solutions: list[SubsetSolution] = []
    for left_mask, right_mask in pairs:
        mask = left_mask | (right_mask << half)
        indices = tuple(i for i in range(n) if mask >> i & 1)
        if len(indices) < min_size or (max_size is not None and len(indices) > max_size):
            continue
        total = int(values[list(indices)].sum())
        solutions.append(SubsetSolution(indices=indices, total=total))
    solutions.sort(key=lambda s: (abs(s.total - aim), len(s.indices), s.indices))
    return SubsetResult(solutions=solutions[:max_solutions], count=len(solutions))
