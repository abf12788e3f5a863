"""RiskModel and LogisticBaseline on a table whose true mechanism is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from etabli.engines.scoring import (
    LogisticBaseline,
    RiskModel,
    ScoringError,
    expected_calibration_error,
    roc_auc,
)


def make_table(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """y depends on x1 (+), x2 (−), the colour (red +) and nothing else; x2 is sometimes missing."""
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=n)
    x2 = rng.normal(size=n)
    noise = rng.normal(size=n)
    colour = rng.choice(["rouge", "vert", "bleu"], size=n)
    logit = -0.5 + 1.5 * x1 - 1.0 * x2 + np.where(colour == "rouge", 1.0, 0.0)
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    x2_seen = np.where(rng.random(n) < 0.1, np.nan, x2)
    return pd.DataFrame({"x1": x1, "x2": x2_seen, "noise": noise, "colour": colour}), y


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame, np.ndarray]:
    X, y = make_table(3000, seed=0)
    X_test, y_test = make_table(2000, seed=1)
    return X, y, X_test, y_test


@pytest.fixture(scope="module")
def model(data: tuple) -> RiskModel:
    X, y, _, _ = data
    return RiskModel(random_state=0).fit(X, y)


def test_learns_a_ranking_and_calibrated_probabilities(model: RiskModel, data: tuple) -> None:
    _, _, X_test, y_test = data
    probabilities = model.predict_proba(X_test)
    assert probabilities.shape == (len(X_test),)
    assert roc_auc(y_test, probabilities) > 0.8
    assert expected_calibration_error(y_test, probabilities) < 0.05


def test_scores_are_rounded_percentages(model: RiskModel, data: tuple) -> None:
    X_test = data[2].iloc[:50]
    scores = model.score(X_test)
    assert scores.dtype.kind == "i"
    assert np.array_equal(scores, np.floor(model.predict_proba(X_test) * 100 + 0.5).astype(int))


def test_same_seed_same_model(data: tuple, model: RiskModel) -> None:
    X, y, X_test, _ = data
    again = RiskModel(random_state=0).fit(X, y)
    assert np.array_equal(again.predict_proba(X_test), model.predict_proba(X_test))


def test_contributions_add_up_to_the_raw_score(model: RiskModel, data: tuple) -> None:
    X_test = data[2].iloc[:200]
    contributions = model.contributions(X_test)
    rebuilt = model.expected_value_ + contributions.sum(axis=1)
    assert np.allclose(rebuilt, model.decision_function(X_test), atol=1e-6)
    probabilities, combined = model.predict_explained(X_test)
    assert np.allclose(probabilities, model.predict_proba(X_test), atol=1e-6)
    assert np.array_equal(combined, contributions)


def test_explanations_name_the_real_drivers_with_their_sign(model: RiskModel) -> None:
    rows = pd.DataFrame(
        {"x1": [2.5, -2.5], "x2": [0.0, 0.0], "noise": [0.0, 0.0], "colour": ["vert", "vert"]}
    )
    high, low = model.explain(rows, top=2)
    assert high[0].feature == "x1" and high[0].contribution > 0 and high[0].value == 2.5
    assert low[0].feature == "x1" and low[0].contribution < 0
    assert all(abs(f.contribution) >= 0.02 for f in high + low)
    assert len(model.explain(rows.iloc[0], top=3)[0]) <= 3


def test_additive_model_gives_exact_per_feature_effects(data: tuple) -> None:
    X, y, _, _ = data
    additive = RiskModel(interactions=False, random_state=0).fit(X, y)
    rows = pd.DataFrame(
        {"x1": [1.0, 1.0], "x2": [-1.0, 2.0], "noise": [0.3, -0.7], "colour": ["rouge", "bleu"]}
    )
    contributions = additive.contributions(rows)
    x1 = additive.feature_names_.index("x1")
    # Without interactions, x1's effect cannot depend on the other features.
    assert contributions[0, x1] == pytest.approx(contributions[1, x1], abs=1e-9)


def test_unknown_category_and_missing_values_are_scored(model: RiskModel) -> None:
    rows = pd.DataFrame({"x1": [0.0], "x2": [np.nan], "noise": [0.0], "colour": ["violet"]})
    probability = model.predict_proba(rows)[0]
    assert 0.0 < probability < 1.0


def test_offset_is_required_once_trained_with_one(data: tuple) -> None:
    X, y, X_test, _ = data
    offset = np.where(X["colour"] == "rouge", 1.0, 0.0)
    with_prior = RiskModel(random_state=0).fit(X, y, offset=offset)
    with pytest.raises(ScoringError, match="a priori"):
        with_prior.predict_proba(X_test)
    test_offset = np.where(X_test["colour"] == "rouge", 1.0, 0.0)
    assert with_prior.predict_proba(X_test, test_offset).shape == (len(X_test),)


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (np.zeros(60, dtype=int), "classe la plus rare"),
        (np.array([0, 1] * 29 + [0, 2]), "0 ou 1"),
        (np.array([0, 1] * 10), "une étiquette par ligne"),
    ],
)
def test_bad_labels_are_refused(labels: np.ndarray, message: str) -> None:
    X, _ = make_table(60, seed=2)
    with pytest.raises(ScoringError, match=message):
        RiskModel().fit(X, labels)


def test_missing_column_and_unfitted_model_are_refused(model: RiskModel) -> None:
    with pytest.raises(ScoringError, match="Colonnes manquantes : colour"):
        model.predict_proba(pd.DataFrame({"x1": [0.0], "x2": [0.0], "noise": [0.0]}))
    with pytest.raises(ScoringError, match="pas encore entraîné"):
        RiskModel().predict_proba(pd.DataFrame({"x1": [0.0]}))
    with pytest.raises(ScoringError, match="DataFrame"):
        RiskModel().fit([[1, 2]], [0])  # type: ignore[arg-type]


def test_logistic_baseline_learns_the_same_table(data: tuple) -> None:
    X, y, X_test, y_test = data
    baseline = LogisticBaseline().fit(X, y)
    probabilities = baseline.predict_proba(X_test)
    assert roc_auc(y_test, probabilities) > 0.8
    assert baseline.score(X_test).max() <= 100
