import numpy as np
import pytest

from etabli.engines.scoring import ScoringError, brier_score, expected_calibration_error, roc_auc


def test_ece_is_zero_when_each_bin_matches_its_frequency() -> None:
    # 10 predictions at 0.25 with 2.5 positives is impossible; use 0.2 → 1 positive in 5, 0.8 → 4 in 5.
    probabilities = [0.2] * 5 + [0.8] * 5
    labels = [1, 0, 0, 0, 0] + [1, 1, 1, 1, 0]
    assert expected_calibration_error(labels, probabilities) == pytest.approx(0.0)


def test_ece_weights_each_bin_gap_by_its_share() -> None:
    # bin [0.1, 0.2): 2 rows, mean p 0.1, mean y 0.5 → gap 0.4; bin [0.9, 1]: 2 rows, mean p 0.9, y 1 → 0.1.
    ece = expected_calibration_error([0, 1, 1, 1], [0.1, 0.1, 0.9, 0.9], n_bins=10)
    assert ece == pytest.approx(0.5 * 0.4 + 0.5 * 0.1)


def test_probability_one_falls_in_last_bin() -> None:
    assert expected_calibration_error([1, 1], [1.0, 1.0], n_bins=15) == pytest.approx(0.0)


def test_auc_and_brier_on_a_perfect_ranking() -> None:
    labels = np.array([0, 0, 1, 1])
    probabilities = np.array([0.1, 0.2, 0.7, 0.9])
    assert roc_auc(labels, probabilities) == 1.0
    assert brier_score(labels, probabilities) == pytest.approx((0.01 + 0.04 + 0.09 + 0.01) / 4)


@pytest.mark.parametrize(
    ("labels", "probabilities", "message"),
    [
        ([0, 1], [0.5], "tailles différentes"),
        ([0, 2], [0.5, 0.5], "0 ou 1"),
        ([0, 1], [0.5, 1.5], "entre 0 et 1"),
        ([], [], "Aucune observation"),
    ],
)
def test_bad_metric_input_is_refused_in_french(labels: list, probabilities: list, message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        expected_calibration_error(labels, probabilities)


def test_auc_refuses_a_single_class() -> None:
    with pytest.raises(ScoringError, match="Une seule classe"):
        roc_auc([1, 1, 1], [0.2, 0.5, 0.9])
