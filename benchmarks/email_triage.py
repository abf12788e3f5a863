"""Benchmark: French e-mail triage (urgent / à traiter / information / publicité), rules vs baselines.

Data: ``benchmarks/data/email_triage_fr.jsonl`` — Établi's own labelled set of 240 French e-mails
(120 hand-written scenario families × 2 variants, 60 per label), built by
``benchmarks/data/build_email_triage_fr.py`` for this project (not copied from any data set): clients,
suppliers, accountant, bank, administrations, colleagues, newsletters and cold pitches of a French TPE,
with deliberate hard cases (negated urgency, newsletters with alarming subjects, invoices to pay vs.
already debited, complaints without the word "urgent"). It is split by family into a ``dev`` half (120
e-mails, the only one looked at while writing the rules) and a ``test`` half (120 e-mails, reported as
the honest figure). Both are reported.

Protocol actually followed: the rules were written before the set; on the dev half they then scored
86.7 % and were revised once on dev errors only (generic vocabulary: tax audit, backups, auto-replies,
cold pitches; "merci de votre…" is thanks, not a request) to 100 % on dev. The test half was then run
once: 93.3 %. One later change (an explicitly urgent request outweighs the request itself) came from a
unit test, not from test errors, and left the test figure unchanged. The hybrid threshold (0.7, a round value) was set after the rules'
confidence distribution had been looked at on both halves (above 0.7 the rules were right on every
e-mail of both). Twenty families later got a neutral
wording variant so that no two e-mails are identical; figures were unchanged. The dev figure is
optimistic by construction; the test figure is the one to quote.

Each e-mail goes through the full path: rendered as RFC 822 text, parsed by the stdlib ``email`` package
(quotes and signatures stripped), then triaged. Baseline: the majority class of the dev half. With
``ETABLI_LLM_URL`` set, the same sets are triaged by the configured model (the rules as its fallback)
through ``etabli.engines.llm`` (``config_from_env`` / ``build_provider``), in two modes: "modèle seul"
(the model labels every e-mail, the rules only as fallback) and "hybride" (the product's default: the
model is consulted only when the rules' confidence is below 0.7). ``ETABLI_LLM_GGUF=smollm2``
selects the in-process SmolLM2 model instead. ``--llm-limit N`` keeps a balanced sample of N e-mails per
half for slow models.

Run:  .venv/bin/python benchmarks/email_triage.py [--data PATH] [--split dev|test|all] [--llm-limit N]
Prints a table per split, then one JSON line with every figure. Timings are wall-clock on a shared,
loaded 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from etabli.engines.writing.mail.parse import EmailInput, build_raw_email
from etabli.engines.writing.mail.triage import LABELS, LABELS_FR, RuleTriager, triage_email

DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "email_triage_fr.jsonl"


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def raw_email(record: dict[str, Any]) -> str:
    return build_raw_email(
        EmailInput(
            sender=record["from"],
            subject=record["subject"],
            body=record["body"],
            headers=record.get("headers", {}),
            date=dt.datetime.fromisoformat(record["date"]),
            to="contact@entreprise.fr",
        )
    )


def metrics(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Accuracy, per-class precision/recall/F1, macro-F1 and the confusion matrix (rows = truth)."""
    total = len(truth)
    correct = sum(t == p for t, p in zip(truth, predicted, strict=True))
    per_class: dict[str, dict[str, float]] = {}
    for label in LABELS:
        tp = sum(t == label and p == label for t, p in zip(truth, predicted, strict=True))
        fp = sum(t != label and p == label for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == label and p != label for t, p in zip(truth, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "support": tp + fn,
        }
    confusion = {
        t: {p: sum(a == t and b == p for a, b in zip(truth, predicted, strict=True)) for p in LABELS}
        for t in LABELS
    }
    return {
        "n": total,
        "accuracy": round(correct / total, 3) if total else 0.0,
        "macro_f1": round(sum(c["f1"] for c in per_class.values()) / len(LABELS), 3),
        "per_class": per_class,
        "confusion": confusion,
    }


def print_report(title: str, result: dict[str, Any]) -> None:
    print(
        f"\n== {title} — {result['n']} e-mails, exactitude {result['accuracy']:.1%}, F1 macro {result['macro_f1']:.3f}"
    )
    print(f"{'classe':<24}{'précision':>10}{'rappel':>9}{'F1':>8}{'effectif':>10}")
    for label in LABELS:
        row = result["per_class"][label]
        print(
            f"{LABELS_FR[label]:<24}{row['precision']:>10.3f}{row['recall']:>9.3f}{row['f1']:>8.3f}{row['support']:>10}"
        )
    print("matrice de confusion (lignes = vrai, colonnes = prédit) :")
    print(" " * 14 + "".join(f"{label[:10]:>12}" for label in LABELS))
    for truth in LABELS:
        print(f"{truth:<14}" + "".join(f"{result['confusion'][truth][p]:>12}" for p in LABELS))


def _stratified(records: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` e-mails taking each label in turn, so a small model sample stays balanced."""
    by_label: dict[str, list[dict[str, Any]]] = {
        label: [r for r in records if r["label"] == label] for label in LABELS
    }
    ordered = [
        group[i]
        for i in range(max(map(len, by_label.values()), default=0))
        for group in by_label.values()
        if i < len(group)
    ]
    return ordered[:limit]


def run(records: list[dict[str, Any]], predict: Callable[[str], str]) -> tuple[list[str], float]:
    started = time.perf_counter()
    predicted = [predict(raw_email(record)) for record in records]
    return predicted, time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="fichier JSONL étiqueté")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument(
        "--llm-limit",
        type=int,
        default=0,
        help="nombre maximal d'e-mails envoyés au modèle par moitié (0 = tous)",
    )
    parser.add_argument("--llm-mode", choices=("both", "hybride", "modele_seul"), default="both")
    parser.add_argument(
        "--consult-below",
        type=float,
        default=0.7,
        help="seuil de confiance des règles sous lequel le modèle est consulté",
    )
    parser.add_argument(
        "--errors", action="store_true", help="afficher les erreurs de la moitié dev (jamais celles du test)"
    )
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"Données introuvables : {args.data}", file=sys.stderr)
        return 2
    records = load(args.data)
    splits = ("dev", "test") if args.split == "all" else (args.split,)
    dev = [r for r in records if r["split"] == "dev"]
    majority = Counter(r["label"] for r in dev).most_common(1)[0][0] if dev else LABELS[0]
    triager = RuleTriager()
    figures: dict[str, Any] = {
        "data": str(args.data),
        "size": len(records),
        "labels": dict(Counter(r["label"] for r in records)),
        "majority_label": majority,
    }

    engine = None
    calls: list[Any] = []
    if os.environ.get("ETABLI_LLM_URL") or os.environ.get("ETABLI_LLM_GGUF"):
        from etabli.engines.llm import LLMEngine, build_provider, config_from_env

        engine = LLMEngine(build_provider(config_from_env(os.environ)), on_call=calls.append)
        figures["llm"] = {"provider": engine.provider.name, "model": engine.provider.model}

    for split in splits:
        subset = [r for r in records if r["split"] == split]
        truth = [r["label"] for r in subset]
        predicted, seconds = run(subset, lambda raw: triager.predict(raw).label)
        rules = metrics(truth, predicted)
        rules["emails_per_second"] = round(len(subset) / seconds, 1) if seconds else None
        baseline = metrics(truth, [majority] * len(subset))
        print_report(f"{split} — règles", rules)
        print(
            f"référence classe majoritaire (« {majority} ») : exactitude {baseline['accuracy']:.1%}, F1 macro {baseline['macro_f1']:.3f}"
        )
        print(f"débit des règles : {rules['emails_per_second']} e-mails/s (machine partagée et chargée)")
        figures[split] = {
            "rules": rules,
            "majority_baseline": {"accuracy": baseline["accuracy"], "macro_f1": baseline["macro_f1"]},
        }
        if args.errors and split == "dev":
            for record, label in zip(subset, predicted, strict=True):
                if label != record["label"]:
                    result = triager.predict(raw_email(record))
                    print(
                        f"  ✗ {record['id']} vrai={record['label']} prédit={label} {result.scores} | {record['subject']}"
                    )
        if engine is not None:
            limited = _stratified(subset, args.llm_limit) if args.llm_limit else subset
            limited_truth = [r["label"] for r in limited]
            rules_sample = metrics(limited_truth, [triager.predict(raw_email(r)).label for r in limited])
            print(
                f"\nÉchantillon pour le modèle : {len(limited)} e-mails (règles seules : exactitude {rules_sample['accuracy']:.1%})"
            )
            figures[split]["llm_sample_rules"] = {
                "n": len(limited),
                "accuracy": rules_sample["accuracy"],
                "macro_f1": rules_sample["macro_f1"],
            }
            modes = {"hybride": args.consult_below, "modele_seul": 1.01}
            for mode, threshold in modes.items():
                if args.llm_mode not in ("both", mode):
                    continue
                calls_before = len(calls)
                llm_pred, llm_seconds = run(
                    limited,
                    lambda raw, t=threshold: triage_email(raw, engine=engine, consult_model_below=t).label,
                )
                llm = metrics(limited_truth, llm_pred)
                llm["seconds"] = round(llm_seconds, 1)
                llm["model_calls"] = len(calls) - calls_before
                title = (
                    "modèle seul"
                    if mode == "modele_seul"
                    else f"hybride (modèle consulté sous {args.consult_below:.0%} de confiance des règles)"
                )
                print_report(f"{split} — {engine.provider.model}, {title}", llm)
                print(f"appels au modèle : {llm['model_calls']}, durée : {llm['seconds']} s")
                figures[split][f"llm_{mode}"] = llm
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
