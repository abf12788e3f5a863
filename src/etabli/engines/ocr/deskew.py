"""Fast skew estimate of a scanned page by projection profiles.

Why not OCRmyPDF's default: since version 17 it asks Tesseract for the skew angle, a second layout pass
that costs about as much as a third of the OCR itself (≈1–1.5 s a page on one core). A scan's skew is
small (a few degrees) and text lines make the row-ink histogram sharpest when they are horizontal, so a
NumPy search over candidate angles on a downsampled page gives the same answer in a few milliseconds.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

#: Search range and steps in degrees: scanners and phone photos rarely skew more than this.
MAX_ANGLE = 6.0
COARSE_STEP = 0.25
FINE_STEP = 0.05
#: Pages are reduced to this width before the search; enough to see text lines.
WORK_WIDTH = 1000
MAX_POINTS = 60_000
#: Below this the page is considered straight (rotating would only blur the scan).
MIN_CORRECTION = 0.1


def estimate_skew(image: Image.Image) -> float:
    """Angle in degrees to pass to ``Image.rotate`` (counter-clockwise positive) to straighten the page.

    Returns 0.0 for pages without enough ink to judge (blank pages, photos without text).
    """
    points = _ink_points(image)
    if points is None:
        return 0.0
    ys, xs = points
    coarse = np.arange(-MAX_ANGLE, MAX_ANGLE + COARSE_STEP / 2, COARSE_STEP)
    best = _best_angle(xs, ys, coarse)
    fine = np.arange(best - COARSE_STEP, best + COARSE_STEP + FINE_STEP / 2, FINE_STEP)
    best = _best_angle(xs, ys, fine)
    return 0.0 if abs(best) < MIN_CORRECTION else round(float(best), 2)


def _ink_points(image: Image.Image) -> tuple[np.ndarray, np.ndarray] | None:
    gray = image.convert("L")
    if gray.width > WORK_WIDTH:
        ratio = WORK_WIDTH / gray.width
        gray = gray.resize((WORK_WIDTH, max(1, int(gray.height * ratio))), Image.Resampling.BILINEAR)
    pixels = np.asarray(gray, dtype=np.uint8)
    threshold = min(160, int(pixels.mean()) - 40)
    ys, xs = np.nonzero(pixels < threshold)
    if ys.size < 500:
        return None
    if ys.size > MAX_POINTS:
        keep = np.random.default_rng(0).choice(ys.size, MAX_POINTS, replace=False)
        ys, xs = ys[keep], xs[keep]
    return ys.astype(np.float64), xs.astype(np.float64)


def _best_angle(xs: np.ndarray, ys: np.ndarray, angles: np.ndarray) -> float:
    """The angle whose row histogram is sharpest (largest sum of squared row counts)."""
    scores = []
    for angle in angles:
        theta = np.deg2rad(angle)
        # Row of each ink point once the page is rotated by ``angle`` counter-clockwise (y grows down).
        rows = ys * np.cos(theta) - xs * np.sin(theta)
        counts = np.bincount((rows - rows.min()).astype(np.int64))
        scores.append(float(np.dot(counts, counts)))
    return float(angles[int(np.argmax(scores))])
