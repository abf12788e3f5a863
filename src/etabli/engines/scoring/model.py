"""Generic calibrated binary risk model for tabular data, with per-prediction explanations.

Why this design:
- **Gradient-boosted trees (LightGBM)** are the strongest well-understood learner on small and mid-size
  tables; they take missing values and categorical columns natively, so the app does not impute.
- **Calibration by cross-fitting**: the number of trees is chosen by early stopping inside each of K folds,
  the out-of-fold raw scores are kept, and a monotone calibrator (Platt's sigmoid by default, isotonic on
  request) is fitted on them; the final booster is refitted on all rows. This is scikit-learn's
  `CalibratedClassifierCV(ensemble=False)` scheme, written out so that the booster stays inspectable. A
  calibrator never sees a row the booster that scored it was trained on.
- **Explanations** are additive contributions in log-odds computed from the trees themselves (Saabas'
  path attribution: each split on the path to a row's leaf credits the change of node value to its
  feature). They sum exactly to the raw score minus the model's average, cost one pass over the trees
  (10 000 rows in well under a second), and equal the exact Shapley values when the model is additive
  (`interactions=False`, each tree uses one feature). With interactions they are the single-ordering
  approximation of path-dependent TreeSHAP (Lundberg et al. 2020): the sign and the ranking of the main
  drivers are reliable, the split of an interaction between its two features is approximate. Exact
  TreeSHAP (`pred_contrib`) was measured ~100× slower, too slow to explain 10 000 invoices in 2 s.
  Because the calibrator is increasing, a positive contribution always pushed the probability up.
- **Determinism**: LightGBM runs with `deterministic=True`, a fixed seed and one thread by default.

`LogisticBaseline` is the baseline every score must beat (DESIGN §3): median imputation with missing
indicators, standardisation, one-hot categories, L2 logistic regression.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple

import lightgbm as lgb
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import sparse
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from etabli.engines.scoring.errors import ScoringError

#: Fewest rows of the rarer class a model accepts: below that, neither trees nor calibration are sound.
MIN_CLASS_COUNT = 10
#: Most distinct values kept per categorical column; rarer values share one "other" code.
MAX_CATEGORIES = 200
_EARLY_STOPPING_ROUNDS = 50

CalibrationMethod = Literal["sigmoid", "isotonic"]


class Factor(NamedTuple):
    """One driver of one prediction (a named tuple: cheap to build by the tens of thousands).

    `contribution` is in log-odds: > 0 pushed the risk up, < 0 pushed it down. `value` is the row's raw
    value for that feature (None when missing).
    """

    feature: str
    value: Any
    contribution: float


# --------------------------------------------------------------------------------------------- inputs
def _require_frame(X: object, *, what: str = "X") -> pd.DataFrame:
    if isinstance(X, pd.DataFrame):
        return X
    if isinstance(X, pd.Series):
        return X.to_frame().T
    if isinstance(X, Mapping):
        return pd.DataFrame([dict(X)])
    raise ScoringError(f"{what} doit être un tableau pandas (DataFrame), reçu : {type(X).__name__}.")


def _require_binary_labels(y: ArrayLike, n_rows: int) -> np.ndarray:
    labels = np.asarray(y)
    if labels.ndim != 1 or labels.shape[0] != n_rows:
        raise ScoringError(f"Il faut une étiquette par ligne ({n_rows} lignes, {labels.size} étiquettes).")
    if labels.dtype == bool:
        return labels.astype(int)
    try:
        numeric = labels.astype(float)
    except (TypeError, ValueError) as exc:
        raise ScoringError("Les étiquettes doivent valoir 0 ou 1 (ou vrai/faux).") from exc
    if np.any(np.isnan(numeric)) or not np.all(np.isin(numeric, (0.0, 1.0))):
        raise ScoringError("Les étiquettes doivent valoir 0 ou 1 (ou vrai/faux), sans valeur manquante.")
    return numeric.astype(int)


def _require_weights(sample_weight: ArrayLike | None, n_rows: int) -> np.ndarray:
    if sample_weight is None:
        return np.ones(n_rows)
    weights = np.asarray(sample_weight, dtype=float)
    if weights.shape != (n_rows,) or np.any(~np.isfinite(weights)) or np.any(weights < 0):
        raise ScoringError("Les poids doivent être positifs, finis, un par ligne.")
    return weights


def _is_categorical(series: pd.Series) -> bool:
    return (
        isinstance(series.dtype, pd.CategoricalDtype)
        or pd.api.types.is_object_dtype(series.dtype)
        or pd.api.types.is_string_dtype(series.dtype)
    )


class _TableEncoder:
    """Turns a DataFrame into the float matrix the boosters need, the same way at fit and predict time.

    Categorical columns (object, string, category dtypes) become integer codes from a vocabulary frozen at
    fit time; a value never seen in training becomes missing (NaN), which the trees route like any missing
    value instead of crashing or silently aliasing another category.
    """

    def fit(self, X: pd.DataFrame) -> _TableEncoder:
        if X.shape[1] == 0:
            raise ScoringError("Le tableau n'a aucune colonne.")
        if X.columns.duplicated().any():
            raise ScoringError("Le tableau a des colonnes en double.")
        self.columns: list[str] = [str(c) for c in X.columns]
        self.vocabularies: dict[str, dict[Any, int]] = {}
        for name, series in X.items():
            if _is_categorical(series):
                counts = series.dropna().astype(str).value_counts()
                ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
                kept = [value for value, _ in ordered[:MAX_CATEGORIES]]
                self.vocabularies[str(name)] = {value: code for code, value in enumerate(kept)}
            else:
                try:
                    series.astype(float)
                except (TypeError, ValueError) as exc:
                    raise ScoringError(f"La colonne « {name} » n'est ni numérique ni catégorielle.") from exc
        self.categorical_indices: list[int] = [
            i for i, name in enumerate(self.columns) if name in self.vocabularies
        ]
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        missing = [name for name in self.columns if name not in X.columns]
        if missing:
            raise ScoringError(f"Colonnes manquantes : {', '.join(missing)}.")
        matrix = np.empty((len(X), len(self.columns)), dtype=float)
        for i, name in enumerate(self.columns):
            series = X[name]
            vocabulary = self.vocabularies.get(name)
            if vocabulary is None:
                try:
                    matrix[:, i] = pd.to_numeric(series, errors="raise").astype(float).to_numpy()
                except (TypeError, ValueError) as exc:
                    raise ScoringError(f"La colonne « {name} » doit être numérique.") from exc
            else:
                as_text = series.astype(object).where(series.notna(), None)
                codes = [vocabulary.get(str(v), np.nan) if v is not None else np.nan for v in as_text]
                matrix[:, i] = np.asarray(codes, dtype=float)
        return matrix


# ------------------------------------------------------------------------------------ path attribution
class _PathAttribution:
    """Per-leaf contribution table built once from the booster's own tree dump (public LightGBM API).

    For every tree and leaf, the contributions of the splits on the root-to-leaf path are summed per
    feature; explaining a row is then a sum of table rows selected by the row's leaves (a sparse product).
    """

    def __init__(self, booster: lgb.Booster, n_features: int) -> None:
        dump = booster.dump_model()
        trees = dump["tree_info"]
        max_leaves = max(int(tree["num_leaves"]) for tree in trees)
        self.n_trees = len(trees)
        self.max_leaves = max_leaves
        self.table = np.zeros((self.n_trees * max_leaves, n_features))
        self.base = 0.0
        for t, tree in enumerate(trees):
            root = tree["tree_structure"]
            root_value = float(root["internal_value"] if "split_feature" in root else root["leaf_value"])
            self.base += root_value
            self._fill(root, t * max_leaves, np.zeros(n_features), root_value)

    def _fill(self, node: Mapping[str, Any], start: int, path: np.ndarray, node_value: float) -> None:
        if "split_feature" not in node:
            self.table[start + int(node.get("leaf_index", 0))] = path
            return
        feature = int(node["split_feature"])
        for side in ("left_child", "right_child"):
            child = node[side]
            child_value = float(child["internal_value"] if "split_feature" in child else child["leaf_value"])
            child_path = path.copy()
            child_path[feature] += child_value - node_value
            self._fill(child, start, child_path, child_value)

    def contributions(self, leaves: np.ndarray) -> np.ndarray:
        n_rows = leaves.shape[0]
        columns = (leaves + np.arange(self.n_trees) * self.max_leaves).ravel()
        indicator = sparse.csr_matrix(
            (np.ones(columns.size), columns, np.arange(0, columns.size + 1, self.n_trees)),
            shape=(n_rows, self.table.shape[0]),
        )
        return np.asarray(indicator @ self.table)


# -------------------------------------------------------------------------------------------- model
class RiskModel:
    """Calibrated probability that a row is positive (e.g. "invoice paid late"), with its drivers.

    >>> model = RiskModel(random_state=0).fit(X_train, y_train)          # doctest: +SKIP
    >>> model.predict_proba(X_new)    # calibrated P(y = 1), shape (n,)   # doctest: +SKIP
    >>> model.score(X_new)            # the same as integers 0–100         # doctest: +SKIP
    >>> model.explain(X_new, top=4)   # [[Factor(feature, value, contribution), ...], ...] # doctest: +SKIP

    Unlike scikit-learn's classifiers, `predict_proba` returns only the positive-class column: a risk
    model answers one question.

    Parameters whose default is None are sized from the number of training rows, so the same defaults
    suit a TPE's 300 invoices and a 30 000-row benchmark: fewer leaves and smaller leaves on small data.
    """

    def __init__(
        self,
        *,
        interactions: bool = True,
        learning_rate: float = 0.05,
        num_leaves: int | None = None,
        min_child_samples: int | None = None,
        max_trees: int = 1000,
        subsample: float = 0.8,
        colsample: float = 0.8,
        l2_regularisation: float = 1.0,
        calibration: CalibrationMethod = "sigmoid",
        n_folds: int = 5,
        random_state: int = 0,
        n_threads: int = 1,
    ) -> None:
        if calibration not in ("sigmoid", "isotonic"):
            raise ScoringError("Méthode de calibration inconnue : « sigmoid » ou « isotonic ».")
        if n_folds < 2:
            raise ScoringError("Il faut au moins 2 plis pour calibrer le modèle.")
        if not 0 < learning_rate <= 1:
            raise ScoringError("Le taux d'apprentissage doit être dans ]0, 1].")
        self.interactions = interactions
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.max_trees = max_trees
        self.subsample = subsample
        self.colsample = colsample
        self.l2_regularisation = l2_regularisation
        self.calibration = calibration
        self.n_folds = n_folds
        self.random_state = random_state
        self.n_threads = n_threads

    # ---------------------------------------------------------------------------------------- fit
    def _booster_params(self, n_rows: int, n_features: int) -> dict[str, Any]:
        num_leaves = self.num_leaves or (15 if n_rows >= 5000 else 7 if n_rows >= 500 else 4)
        min_child = self.min_child_samples or max(5, min(50, n_rows // 100))
        params: dict[str, Any] = {
            "objective": "binary",
            "learning_rate": self.learning_rate,
            "num_leaves": num_leaves,
            "min_data_in_leaf": min_child,
            "min_data_per_group": max(5, min_child),
            "cat_smooth": 10.0,
            "bagging_fraction": self.subsample,
            "bagging_freq": 1 if self.subsample < 1 else 0,
            "feature_fraction": self.colsample,
            "lambda_l2": self.l2_regularisation,
            "seed": self.random_state,
            "num_threads": self.n_threads,
            "deterministic": True,
            "force_row_wise": True,
            "verbosity": -1,
        }
        if not self.interactions:
            params["interaction_constraints"] = [[i] for i in range(n_features)]
        return params

    def _dataset(
        self,
        X: np.ndarray,
        y: np.ndarray,
        w: np.ndarray,
        offset: np.ndarray,
        reference: lgb.Dataset | None = None,
    ) -> lgb.Dataset:
        return lgb.Dataset(
            X,
            label=y,
            weight=w,
            # No offset: leave init_score unset so that LightGBM boosts from the average log-odds.
            init_score=offset if self.uses_offset_ else None,
            categorical_feature=self._encoder.categorical_indices or "auto",
            reference=reference,
            free_raw_data=False,
        )

    def _splitter(self, n_splits: int, groups: np.ndarray | None) -> StratifiedKFold | StratifiedGroupKFold:
        if groups is None:
            return StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=self.random_state)
        return StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=self.random_state)

    def _fit_fold(
        self,
        X: np.ndarray,
        y: np.ndarray,
        w: np.ndarray,
        offset: np.ndarray,
        groups: np.ndarray | None,
        rows: np.ndarray,
    ) -> lgb.Booster:
        """Fit on `rows` with early stopping on an inner, group-aware hold-out (~1/7 of `rows`)."""
        inner_groups = None if groups is None else groups[rows]
        fit_idx, val_idx = next(self._splitter(7, inner_groups).split(X[rows], y[rows], inner_groups))
        fit_rows, val_rows = rows[fit_idx], rows[val_idx]
        train_set = self._dataset(X[fit_rows], y[fit_rows], w[fit_rows], offset[fit_rows])
        valid_set = self._dataset(
            X[val_rows], y[val_rows], w[val_rows], offset[val_rows], reference=train_set
        )
        return lgb.train(
            self._booster_params(len(rows), X.shape[1]),
            train_set,
            num_boost_round=self.max_trees,
            valid_sets=[valid_set],
            callbacks=[lgb.early_stopping(_EARLY_STOPPING_ROUNDS, verbose=False)],
        )

    def fit(
        self,
        X: pd.DataFrame,
        y: ArrayLike,
        *,
        sample_weight: ArrayLike | None = None,
        groups: ArrayLike | None = None,
        offset: ArrayLike | None = None,
    ) -> RiskModel:
        """Learn from a table and 0/1 labels.

        `groups` keeps rows of the same entity (e.g. several snapshots of one invoice) in the same fold,
        so the calibrator is fitted on honest out-of-fold scores. `offset` is a prior in log-odds per row
        (e.g. from `PriorModel`): the trees then learn only the correction to that prior, and with little
        data early stopping leaves the prior almost untouched — shrinkage toward the prior by design.
        Pass the same kind of offset to the predict methods.
        """
        frame = _require_frame(X)
        labels = _require_binary_labels(y, len(frame))
        weights = _require_weights(sample_weight, len(frame))
        offsets = self._require_offset(offset, len(frame))
        self.uses_offset_ = offset is not None
        group_array = None if groups is None else np.asarray(groups)
        if group_array is not None and group_array.shape != (len(frame),):
            raise ScoringError("Il faut un groupe par ligne.")
        minority = int(min(labels.sum(), len(labels) - labels.sum()))
        if minority < MIN_CLASS_COUNT:
            raise ScoringError(
                f"Trop peu d'exemples de la classe la plus rare ({minority}) : il en faut au moins "
                f"{MIN_CLASS_COUNT} pour apprendre et calibrer un modèle."
            )
        self._encoder = _TableEncoder().fit(frame)
        matrix = self._encoder.transform(frame)
        n_splits = max(2, min(self.n_folds, minority // 2))

        out_of_fold = np.zeros(len(frame))
        best_iterations: list[int] = []
        for train_rows, test_rows in self._splitter(n_splits, group_array).split(matrix, labels, group_array):
            fold_booster = self._fit_fold(matrix, labels, weights, offsets, group_array, train_rows)
            best_iterations.append(int(fold_booster.best_iteration or self.max_trees))
            out_of_fold[test_rows] = offsets[test_rows] + fold_booster.predict(
                matrix[test_rows], raw_score=True, num_iteration=fold_booster.best_iteration or None
            )

        self.n_trees_ = max(10, int(np.median(best_iterations)))
        self._booster = lgb.train(
            self._booster_params(len(frame), matrix.shape[1]),
            self._dataset(matrix, labels, weights, offsets),
            num_boost_round=self.n_trees_,
        )
        self._attribution = _PathAttribution(self._booster, matrix.shape[1])
        self._calibrator = self._fit_calibrator(out_of_fold, labels, weights)
        self.feature_names_ = list(self._encoder.columns)
        self.base_rate_ = float(np.average(labels, weights=weights))
        self.out_of_fold_proba_ = self._calibrate(out_of_fold)
        return self

    @staticmethod
    def _require_offset(offset: ArrayLike | None, n_rows: int) -> np.ndarray:
        if offset is None:
            return np.zeros(n_rows)
        values = np.asarray(offset, dtype=float)
        if values.shape != (n_rows,) or not np.all(np.isfinite(values)):
            raise ScoringError("Il faut un a priori (log-cote) fini par ligne.")
        return values

    def _fit_calibrator(self, margins: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> Any:
        if self.calibration == "isotonic":
            calibrator = IsotonicRegression(out_of_bounds="clip", y_min=1e-3, y_max=1 - 1e-3)
            return calibrator.fit(margins, labels, sample_weight=weights)
        calibrator = LogisticRegression(C=1e6, max_iter=1000)
        return calibrator.fit(margins.reshape(-1, 1), labels, sample_weight=weights)

    def _calibrate(self, margins: np.ndarray) -> np.ndarray:
        if isinstance(self._calibrator, IsotonicRegression):
            return np.asarray(self._calibrator.predict(margins), dtype=float)
        return self._calibrator.predict_proba(margins.reshape(-1, 1))[:, 1]

    # ------------------------------------------------------------------------------------ predict
    def _check_fitted(self) -> None:
        if not hasattr(self, "_booster"):
            raise ScoringError("Le modèle n'est pas encore entraîné : appelez fit() d'abord.")

    def decision_function(self, X: pd.DataFrame, offset: ArrayLike | None = None) -> np.ndarray:
        """Raw score in log-odds before calibration: offset (if any) + trees (what `explain` decomposes)."""
        self._check_fitted()
        frame = _require_frame(X)
        if self.uses_offset_ and offset is None:
            raise ScoringError(
                "Ce modèle a été entraîné avec un a priori : fournissez-le aussi ici (offset)."
            )
        matrix = self._encoder.transform(frame)
        trees = np.asarray(self._booster.predict(matrix, raw_score=True), dtype=float)
        return trees + self._require_offset(offset, len(frame))

    def predict_proba(self, X: pd.DataFrame, offset: ArrayLike | None = None) -> np.ndarray:
        """Calibrated probability of the positive class, one per row."""
        return self._calibrate(self.decision_function(X, offset))

    def score(self, X: pd.DataFrame, offset: ArrayLike | None = None) -> np.ndarray:
        """Risk score 0–100 (the calibrated probability in percent, rounded half up)."""
        return probability_to_score(self.predict_proba(X, offset))

    def contributions(self, X: pd.DataFrame) -> np.ndarray:
        """Per-feature contributions in log-odds, shape (n, n_features).

        Each row sums to `decision_function(X) − offset − expected_value_`, i.e. how far the trees moved
        this row's raw score from their average, and through which features. (With an offset, the
        offset's own decomposition is the caller's: it built it.)
        """
        self._check_fitted()
        matrix = self._encoder.transform(_require_frame(X))
        leaves = np.asarray(self._booster.predict(matrix, pred_leaf=True), dtype=np.int64)
        if leaves.ndim == 1:
            leaves = leaves.reshape(-1, 1)
        return self._attribution.contributions(leaves)

    def predict_explained(
        self, X: pd.DataFrame, offset: ArrayLike | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(calibrated probabilities, contributions) from a single pass over the trees.

        The raw score is rebuilt from the same leaves as the contributions (base + their sum + offset),
        which halves the cost of scoring and explaining many rows at once.
        """
        self._check_fitted()
        frame = _require_frame(X)
        if self.uses_offset_ and offset is None:
            raise ScoringError(
                "Ce modèle a été entraîné avec un a priori : fournissez-le aussi ici (offset)."
            )
        values = self.contributions(frame)
        margins = self._attribution.base + values.sum(axis=1) + self._require_offset(offset, len(frame))
        return self._calibrate(margins), values

    @property
    def expected_value_(self) -> float:
        """The raw score of an "average" row: the sum of the trees' root values."""
        self._check_fitted()
        return self._attribution.base

    def explain(
        self, X: pd.DataFrame | pd.Series | Mapping[str, Any], top: int = 4, min_contribution: float = 0.02
    ) -> list[list[Factor]]:
        """The `top` features that moved each prediction most, strongest first, with their sign.

        Contributions smaller than `min_contribution` (log-odds, ≈ half a percentage point around 30 %)
        are left out: a factor is only named if it actually pushed this prediction.
        """
        if top < 1:
            raise ScoringError("Il faut demander au moins un facteur.")
        frame = _require_frame(X)
        if self.uses_offset_:
            raise ScoringError(
                "Ce modèle a été entraîné avec un a priori : combinez contributions() avec celles de l'a priori."
            )
        values = self.contributions(frame)
        columns = {name: frame[name].tolist() for name in self.feature_names_}
        rows = [dict(zip(columns, values_, strict=True)) for values_ in zip(*columns.values(), strict=True)]
        return select_factors_batch(
            values, self.feature_names_, rows, top=top, min_contribution=min_contribution
        )


def select_factors(
    contributions: np.ndarray,
    feature_names: Sequence[str],
    row: pd.Series | Mapping[str, Any],
    *,
    top: int,
    min_contribution: float,
) -> list[Factor]:
    """Strongest contributions first, those under the threshold dropped, at most `top`."""
    return select_factors_batch(
        np.asarray(contributions, dtype=float).reshape(1, -1),
        feature_names,
        [row],
        top=top,
        min_contribution=min_contribution,
    )[0]


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def select_factors_batch(
    contributions: np.ndarray,
    feature_names: Sequence[str],
    rows: Sequence[pd.Series | Mapping[str, Any]],
    *,
    top: int,
    min_contribution: float,
) -> list[list[Factor]]:
    """`select_factors` for many rows: the ranking is vectorised, only the kept factors are built."""
    names = list(feature_names)
    values = np.empty((len(rows), len(names)), dtype=object)
    for i, row in enumerate(rows):
        values[i] = [_plain(row[name]) if name in row else None for name in names]
    return select_factors_table(contributions, names, values, top=top, min_contribution=min_contribution)


def plain_value_table(columns: Sequence[np.ndarray | pd.Series]) -> np.ndarray:
    """(n, len(columns)) object array of plain Python values (NaN → None), as `Factor.value` holds them.

    Why: converting whole columns at once costs a few numpy calls, where `_plain` on every value of
    10 000 rows costs tens of thousands of Python calls.
    """
    n_rows = len(columns[0]) if len(columns) else 0
    table = np.empty((n_rows, len(columns)), dtype=object)
    for j, column in enumerate(columns):
        values = column.to_numpy() if isinstance(column, pd.Series) else np.asarray(column)
        if values.dtype.kind == "f":
            plain = values.astype(object)  # elements become Python floats
            plain[np.isnan(values)] = None
            table[:, j] = plain
        elif values.dtype.kind in "iub":
            table[:, j] = values.astype(object)  # Python ints / bools
        else:
            table[:, j] = [_plain(value) for value in values.tolist()]
    return table


def select_factors_table(
    contributions: np.ndarray,
    feature_names: Sequence[str],
    values: np.ndarray,
    *,
    top: int,
    min_contribution: float,
) -> list[list[Factor]]:
    """`select_factors_batch` when the rows' raw values are already an (n, n_features) table of plain
    values (see `plain_value_table`): the ranking and the gathering of names and values are vectorised,
    and each row's factors are built in one `map` call."""
    k = min(top, contributions.shape[1])
    magnitude = np.abs(contributions)
    order = np.argsort(-magnitude, axis=1, kind="stable")[:, :k]
    ranked = np.take_along_axis(contributions, order, axis=1)
    # Ranked by magnitude, so the kept factors of a row are a prefix: everything after is smaller still.
    n_kept = (np.abs(ranked) >= min_contribution).sum(axis=1).tolist()
    names = np.asarray(list(feature_names), dtype=object)[order].tolist()
    raw = np.take_along_axis(values, order, axis=1).tolist()
    return [
        list(map(Factor, row_names[:m], row_raw[:m], row_values[:m]))
        for row_names, row_raw, row_values, m in zip(names, raw, ranked.tolist(), n_kept, strict=True)
    ]


def probability_to_score(probabilities: ArrayLike) -> np.ndarray:
    """0.374 → 37: probabilities in percent, rounded half up (not banker's rounding)."""
    probs = np.asarray(probabilities, dtype=float)
    return np.floor(probs * 100 + 0.5).astype(int).clip(0, 100)


# ----------------------------------------------------------------------------------------- baseline
class LogisticBaseline:
    """Logistic regression on the same table: the baseline the risk model must beat (DESIGN §3)."""

    def __init__(self, *, C: float = 1.0, random_state: int = 0) -> None:
        self.C = C
        self.random_state = random_state

    def fit(
        self, X: pd.DataFrame, y: ArrayLike, *, sample_weight: ArrayLike | None = None
    ) -> LogisticBaseline:
        frame = _require_frame(X)
        labels = _require_binary_labels(y, len(frame))
        weights = _require_weights(sample_weight, len(frame))
        if labels.min() == labels.max():
            raise ScoringError("Les étiquettes n'ont qu'une seule classe : rien à apprendre.")
        categorical = [str(c) for c in frame.columns if _is_categorical(frame[c])]
        numeric = [str(c) for c in frame.columns if str(c) not in categorical]
        transformers: list[tuple[str, Pipeline, list[str]]] = []
        if numeric:
            transformers.append(
                (
                    "num",
                    make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler()),
                    numeric,
                )
            )
        if categorical:
            transformers.append(
                (
                    "cat",
                    make_pipeline(
                        SimpleImputer(strategy="constant", fill_value="(manquant)"),
                        OneHotEncoder(handle_unknown="ignore"),
                    ),
                    categorical,
                )
            )
        self._columns = numeric + categorical
        self._categorical = categorical
        self._pipeline = Pipeline(
            [
                ("prepare", ColumnTransformer(transformers)),
                ("model", LogisticRegression(C=self.C, max_iter=5000, random_state=self.random_state)),
            ]
        )
        self._pipeline.fit(self._prepare(frame), labels, model__sample_weight=weights)
        return self

    def _prepare(self, frame: pd.DataFrame) -> pd.DataFrame:
        missing = [name for name in self._columns if name not in frame.columns]
        if missing:
            raise ScoringError(f"Colonnes manquantes : {', '.join(missing)}.")
        prepared = frame[self._columns].copy()
        for name in self._categorical:
            prepared[name] = (
                prepared[name]
                .astype(object)
                .where(prepared[name].notna(), None)
                .map(lambda v: None if v is None else str(v))
            )
        return prepared

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        if not hasattr(self, "_pipeline"):
            raise ScoringError("Le modèle n'est pas encore entraîné : appelez fit() d'abord.")
        return self._pipeline.predict_proba(self._prepare(_require_frame(X)))[:, 1]

    def score(self, X: pd.DataFrame) -> np.ndarray:
        return probability_to_score(self.predict_proba(X))


def logit(p: ArrayLike) -> np.ndarray:
    """log(p / (1 − p)), clipped away from 0 and 1 so that priors never become infinite."""
    probs = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    return np.log(probs / (1 - probs))


def sigmoid(x: ArrayLike) -> np.ndarray:
    values = np.asarray(x, dtype=float)
    return 1.0 / (1.0 + np.exp(-values))


__all__ = [
    "Factor",
    "LogisticBaseline",
    "RiskModel",
    "logit",
    "plain_value_table",
    "probability_to_score",
    "select_factors",
    "select_factors_batch",
    "select_factors_table",
    "sigmoid",
]
