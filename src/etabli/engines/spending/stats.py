"""Robust statistics: median and MAD instead of mean and standard deviation.

Why: one exceptional bill (a yearly regularisation, a 13th month) would drag a mean and inflate a
standard deviation, hiding the next anomaly; the median and the median absolute deviation ignore it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

MAD_TO_SIGMA = 1.4826  # makes the MAD comparable to a standard deviation for normal data


def median(values: Sequence[float] | np.ndarray) -> float:
    return float(np.median(np.asarray(values, dtype=float)))


def robust_sigma(values: Sequence[float] | np.ndarray) -> float:
    """1.4826 × median absolute deviation: a standard deviation that outliers cannot inflate."""
    array = np.asarray(values, dtype=float)
    if array.size == 0:
        return 0.0
    return float(MAD_TO_SIGMA * np.median(np.abs(array - np.median(array))))


def mode_or_median(values: Sequence[int], min_share: float = 0.4) -> int:
    """Most frequent value when it is frequent enough (a due day), else the rounded median."""
    counts = Counter(values)
    value, count = counts.most_common(1)[0]
    if count / len(values) >= min_share:
        return int(value)
    return int(round(float(np.median(values))))
