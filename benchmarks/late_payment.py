"""Late-payment risk benchmark (issue 3, quality bars).

1. Credit default (UCI "default of credit card clients", 30 000 rows; default = "paid late"): 5-fold
   stratified cross-validation of the engine's `RiskModel` next to `LogisticBaseline`, same folds, same
   process. ROC AUC, ECE with 10 equal-width bins (15 bins also printed) and Brier, per fold and pooled.
   Honest tuning: nothing is tuned on the test folds. Inside each training fold the engine chooses its
   number of trees by early stopping on inner hold-outs and fits its calibrator on out-of-fold scores of
   that training fold only; every other setting is the engine's default.
2. Time-ordered back-test on synthetic 24-month invoice histories (TPE size, several seeds): train on
   months 1–18, score each invoice of months 19–24 at its issue date; engine vs logistic regression on
   the same features vs the priors alone. `run_backtest` takes any list of `InvoiceRecord`, so the demo
   company's data can be passed through an adapter.
3. Scoring 10 000 open invoices (features + probabilities + explanations + French reasons + payment
   dates), wall-clock and CPU time, on a large synthetic history.

4. `--demo` (billing app): time-ordered back-test on the demo company "Menuiserie Martin" (the
   deterministic DemoDataset: ≈1 000 customer invoices over 26 months, loyal / late-paying / new
   customers, partial payments, credit notes): train on months 1–18, test on months 19–24, engine vs
   logistic regression vs priors. Runs only this part (the default output above is unchanged).

Usage: .venv/bin/python benchmarks/late_payment.py [--data PATH] [--folds 5] [--seeds 1 2 3 4 5]
       .venv/bin/python benchmarks/late_payment.py --demo [--demo-seeds 1 2 3] [--demo-today 2026-11-26]
Prints a table, then one JSON line with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold

from etabli.engines.scoring import (
    InvoiceRiskScorer,
    LogisticBaseline,
    RiskModel,
    brier_score,
    expected_calibration_error,
    generate_invoice_history,
    roc_auc,
    run_backtest,
)
from etabli.engines.scoring.invoices import history_frame, open_invoice_ids

DEFAULT_DATA = (
    Path(__file__).resolve().parent.parent / ".." / "shared" / "datasets" / "tabular" / "credit_default"
)
LABEL = "default.payment.next.month"
CATEGORICAL = ("SEX", "EDUCATION", "MARRIAGE")


def load_credit_default(path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    csv = path / "UCI_Credit_Card.csv" if path.is_dir() else path
    if not csv.exists():
        sys.exit(f"Jeu de données introuvable : {csv}")
    frame = pd.read_csv(csv)
    labels = frame.pop(LABEL).to_numpy().astype(int)
    frame = frame.drop(columns=["ID"])
    for column in CATEGORICAL:  # coded categories, not quantities
        frame[column] = frame[column].astype(int).astype(str)
    return frame, labels


def figures(labels: np.ndarray, probabilities: np.ndarray) -> dict[str, float]:
    return {
        "auc": roc_auc(labels, probabilities),
        "ece10": expected_calibration_error(labels, probabilities, n_bins=10),
        "ece15": expected_calibration_error(labels, probabilities, n_bins=15),
        "brier": brier_score(labels, probabilities),
    }


def credit_default_cv(path: Path, folds: int) -> dict[str, object]:
    X, y = load_credit_default(path)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    out_of_fold = {"engine": np.zeros(len(y)), "logistic": np.zeros(len(y))}
    per_fold: dict[str, list[dict[str, float]]] = {"engine": [], "logistic": []}
    trees: list[int] = []
    started = time.perf_counter()
    for train, test in splitter.split(X, y):
        engine = RiskModel(random_state=0).fit(X.iloc[train], y[train])
        trees.append(engine.n_trees_)
        baseline = LogisticBaseline(random_state=0).fit(X.iloc[train], y[train])
        for name, model in (("engine", engine), ("logistic", baseline)):
            probabilities = model.predict_proba(X.iloc[test])
            out_of_fold[name][test] = probabilities
            per_fold[name].append(figures(y[test], probabilities))
    result: dict[str, object] = {
        "rows": len(y),
        "positive_rate": float(y.mean()),
        "folds": folds,
        "engine_trees_per_fold": trees,
        "seconds": time.perf_counter() - started,
    }
    for name in ("engine", "logistic"):
        keys = per_fold[name][0].keys()
        result[name] = {
            "mean": {k: statistics.fmean(f[k] for f in per_fold[name]) for k in keys},
            "std": {k: statistics.pstdev(f[k] for f in per_fold[name]) for k in keys},
            "pooled": figures(y, out_of_fold[name]),
            "per_fold": per_fold[name],
        }
    return result


def synthetic_backtests(seeds: list[int]) -> dict[str, object]:
    runs = []
    for seed in seeds:
        history = generate_invoice_history(seed=seed)
        result = run_backtest(history.records, train_months=18, test_months=6)
        runs.append(
            {
                "seed": seed,
                "invoices": len(history.records),
                "train_invoices": result.n_train_invoices,
                "test_invoices": result.n_test_invoices,
                "test_late_rate": result.test_late_rate,
                "engine_status": result.engine_status,
                "metrics": result.metrics,
                "payment_mae_days": result.payment_mae_days,
                "payment_range_coverage": result.payment_range_coverage,
                "ece_noise_floor": result.ece_noise_floor,
            }
        )
    mean = {
        model: {m: statistics.fmean(r["metrics"][model][m] for r in runs) for m in ("auc", "ece", "brier")}
        for model in ("engine", "logistic", "priors")
    }
    return {
        "runs": runs,
        "mean": mean,
        "payment_mae_days_mean": statistics.fmean(r["payment_mae_days"] for r in runs),
        "payment_range_coverage_mean": statistics.fmean(r["payment_range_coverage"] for r in runs),
        "ece_noise_floor_mean": statistics.fmean(r["ece_noise_floor"] for r in runs),
    }


def scoring_speed(n_open: int = 10_000, repeats: int = 3) -> dict[str, object]:
    history = generate_invoice_history(seed=7, n_customers=12_000, months=12)
    # The model is fitted on a TPE-size slice (fitting is not what is timed); the 10 000 open invoices
    # are then scored against the whole history.
    training = [r for r in history.records if int(r.customer_id[1:]) <= 600]
    scorer = InvoiceRiskScorer(random_state=0).fit(training, history.end)
    open_ids = open_invoice_ids(history_frame(history.records), history.end)[:n_open]
    if len(open_ids) < n_open:
        sys.exit(f"Seulement {len(open_ids)} factures ouvertes générées (il en faut {n_open}).")
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        risks = scorer.score(history.records, history.end, open_ids)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    assert len(risks) == n_open and all(r.reasons or r.status == "overdue" for r in risks)
    return {
        "open_invoices": n_open,
        "history_invoices": len(history.records),
        "model_status": scorer.status_,
        "wall_seconds": walls,
        "cpu_seconds": cpus,
        "wall_best": min(walls),
        "cpu_best": min(cpus),
        "load_average_1min": os.getloadavg()[0],
        "example": {
            "invoice_id": risks[-1].invoice_id,
            "score": risks[-1].score,
            "reasons": risks[-1].reason_texts,
            "expected_payment": risks[-1].payment.expected.isoformat(),
        },
    }


# --- Demo company back-test (billing app, --demo) ---------------------------------------------------------


def demo_records(dataset) -> list:
    """The demo company's customer invoices as the billing app gives them to the engine
    (etabli.billing.services.risk.records_for): amount net of credit notes, paid date = the day the invoice
    was settled in full, the customer's sector and "client depuis"."""
    from decimal import Decimal

    from etabli.engines.scoring import InvoiceRecord

    credits: dict[str, Decimal] = {}
    for note in (i for i in dataset.invoices if i.kind == "credit_note"):
        credits[note.related_invoice] = credits.get(note.related_invoice, Decimal("0")) + note.total_ttc
    customers = {c.key: c for c in dataset.customers}
    records = []
    for invoice in dataset.invoices:
        if invoice.kind == "credit_note":
            continue
        amount = invoice.total_ttc - credits.get(invoice.number, Decimal("0"))
        if amount <= 0:
            continue
        paid = None
        if invoice.payments and sum(p.amount for p in invoice.payments) >= amount:
            paid = max(p.date for p in invoice.payments)
        customer = customers[invoice.customer_key]
        records.append(InvoiceRecord(
            invoice_id=invoice.number, customer_id=customer.key, issue_date=invoice.issue_date,
            due_date=invoice.due_date, amount=amount, paid_date=paid, sector=customer.sector,
            customer_since=customer.since, payment_terms_days=(invoice.due_date - invoice.issue_date).days,
        ))
    return records


def demo_backtests(seeds: list[int], today) -> dict[str, object]:
    from etabli.core.demo.dataset import generate

    runs = []
    for seed in seeds:
        records = demo_records(generate(seed=seed, today=today))
        started = time.perf_counter()
        result = run_backtest(records, train_months=18, test_months=6)
        runs.append({
            "seed": seed, "invoices": len(records), "train_end": result.train_end.isoformat(),
            "test_end": result.test_end.isoformat(), "train_invoices": result.n_train_invoices,
            "test_invoices": result.n_test_invoices, "test_late_rate": result.test_late_rate,
            "engine_status": result.engine_status, "metrics": result.metrics,
            "payment_mae_days": result.payment_mae_days, "payment_range_coverage": result.payment_range_coverage,
            "ece_noise_floor": result.ece_noise_floor, "seconds": time.perf_counter() - started,
        })
    models = [m for m in ("engine", "logistic", "priors") if all(m in r["metrics"] for r in runs)]
    mean = {m: {k: statistics.fmean(r["metrics"][m][k] for r in runs) for k in ("auc", "ece", "brier")}
            for m in models}
    return {"today": today.isoformat(), "runs": runs, "mean": mean}


def demo_main(seeds: list[int], today) -> None:
    demo = demo_backtests(seeds, today)
    print(f"== Demo company (Menuiserie Martin) back-test, today = {demo['today']}, seeds {seeds} "
          "(train months 1–18, test 19–24, scored at issue date; ECE 10 bins)")
    print(f"{'seed':>4} {'invoices':>8} {'test n':>6} {'late':>5} {'status':>20} | {'engine AUC/ECE/Brier':>22} | "
          f"{'logistic':>22} | {'priors':>22} | {'pay MAE':>7} {'in range':>8}")
    for run in demo["runs"]:
        cells = [f"{run['metrics'][m]['auc']:.3f}/{run['metrics'][m]['ece']:.3f}/{run['metrics'][m]['brier']:.3f}"
                 if m in run["metrics"] else "—" for m in ("engine", "logistic", "priors")]
        print(f"{run['seed']:>4} {run['invoices']:>8} {run['test_invoices']:>6} {run['test_late_rate']:>5.2f} "
              f"{run['engine_status']:>20} | {cells[0]:>22} | {cells[1]:>22} | {cells[2]:>22} | "
              f"{run['payment_mae_days']:>5.1f} j {run['payment_range_coverage']:>8.0%}")
    mean = demo["mean"]
    print("mean" + " " * 47 + " | ".join(
        f"{mean[m]['auc']:.3f}/{mean[m]['ece']:.3f}/{mean[m]['brier']:.3f}".rjust(22) for m in mean))
    floor = statistics.fmean(r["ece_noise_floor"] for r in demo["runs"])
    print(f"ECE noise floor on test sets this small: {floor:.3f} on average (a perfectly calibrated model's ECE)")
    print(json.dumps({"benchmark": "late_payment_demo", "python": platform.python_version(), "demo_backtest": demo},
                     ensure_ascii=False, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="credit_default folder or CSV")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--demo", action="store_true",
                        help="only the back-test on the demo company (billing app's data, DemoDataset)")
    parser.add_argument("--demo-seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--demo-today", default="2026-11-26", help="the demo's 'today' (AAAA-MM-JJ)")
    args = parser.parse_args()
    if args.demo:
        import datetime as dt

        demo_main(args.demo_seeds, dt.date.fromisoformat(args.demo_today))
        return

    credit = credit_default_cv(args.data.resolve(), args.folds)
    print(
        f"== Credit default, {credit['folds']}-fold stratified CV ({credit['rows']} rows, "
        f"{credit['positive_rate']:.1%} late) — ECE with 10 equal-width bins (15 in brackets)"
    )
    print(
        f"{'model':<10} {'AUC mean±std':>16} {'ECE10 mean':>11} {'ECE15':>8} {'Brier':>7} {'AUC pooled':>11}"
    )
    for name in ("engine", "logistic"):
        block = credit[name]
        mean, std, pooled = block["mean"], block["std"], block["pooled"]  # type: ignore[index]
        print(
            f"{name:<10} {mean['auc']:.4f} ± {std['auc']:.4f} {mean['ece10']:>11.4f} "
            f"({mean['ece15']:.4f}) {mean['brier']:>7.4f} {pooled['auc']:>11.4f}"
        )
    print(f"targets: AUC ≥ 0.78, ECE ≤ 0.02; engine trees per fold: {credit['engine_trees_per_fold']}")

    backtest = synthetic_backtests(args.seeds)
    print(
        f"\n== Time-ordered back-test, synthetic 24-month TPE histories, seeds {args.seeds} "
        "(train months 1–18, test 19–24, scored at issue date; ECE 10 bins)"
    )
    print(
        f"{'seed':>4} {'test n':>6} {'late':>5} {'status':>20} | {'engine AUC/ECE/Brier':>22} | "
        f"{'logistic':>22} | {'priors':>22}"
    )
    for run in backtest["runs"]:  # type: ignore[union-attr]
        cells = [
            f"{run['metrics'][m]['auc']:.3f}/{run['metrics'][m]['ece']:.3f}/{run['metrics'][m]['brier']:.3f}"
            for m in ("engine", "logistic", "priors")
        ]
        print(
            f"{run['seed']:>4} {run['test_invoices']:>6} {run['test_late_rate']:>5.2f} "
            f"{run['engine_status']:>20} | {cells[0]:>22} | {cells[1]:>22} | {cells[2]:>22}"
        )
    mean = backtest["mean"]
    print(
        "mean"
        + " " * 35
        + " | ".join(
            f"{mean[m]['auc']:.3f}/{mean[m]['ece']:.3f}/{mean[m]['brier']:.3f}".rjust(22)  # type: ignore[index]
            for m in ("engine", "logistic", "priors")
        )
    )
    print(
        "ECE noise floor (what a perfectly calibrated model would show on test sets this small): "
        f"{backtest['ece_noise_floor_mean']:.3f} on average"
    )
    print(
        f"payment date: MAE {backtest['payment_mae_days_mean']:.1f} days, "
        f"actual date inside [optimistic, pessimistic] {backtest['payment_range_coverage_mean']:.0%} "
        "(nominal 60 %)"
    )

    speed = None
    if not args.skip_speed:
        speed = scoring_speed()
        print(
            f"\n== Scoring {speed['open_invoices']} open invoices against {speed['history_invoices']} "
            f"(features, probabilities, explanations, reasons, payment dates; target < 2 s)"
        )
        print(
            f"wall: {', '.join(f'{s:.2f}' for s in speed['wall_seconds'])} s — CPU: "
            f"{', '.join(f'{s:.2f}' for s in speed['cpu_seconds'])} s — load average "
            f"{speed['load_average_1min']:.1f} on {os.cpu_count()} cores (shared machine)"
        )

    print(
        json.dumps(
            {
                "benchmark": "late_payment",
                "python": platform.python_version(),
                "credit_default": credit,
                "synthetic_backtest": backtest,
                "scoring_speed": speed,
            },
            ensure_ascii=False,
            default=str,
        )
    )


if __name__ == "__main__":
    main()
