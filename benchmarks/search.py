"""Benchmark of document search: search-box parsing, document classification, full-text latency.

Three parts, printed as tables, then one JSON line with every figure:

1. **Search-box parsing** (``etabli.engines.query``): 70 French search phrases labelled by hand with
   the filters they should give (``QUERY_SET`` below), parsed with a fixed ``today`` (Tuesday
   10 February 2026) and a fixed list of known correspondents and tags. How the set was built: written
   in one go, after the parser's first version and before any tuning against it, to cover every
   pattern of issue 4 (types singular/plural and synonyms, amounts, dates, quarters, relative periods,
   tags, correspondents with typos and without accents, free text), with phrasings the parser had not
   been tried on. Its first run gave 67/70 phrases exact (95.7 %); the three failures (« reçus » read
   as receipts, « Cabinet » left over from « Cabinet Moreau », « n° » searched as text) were then fixed,
   so the figure printed for it is no longer a blind one. A second set of 32 phrases
   (``QUERY_SET_FRESH``), written afterwards and never tuned on, gives the less biased figure. Neither
   is an independent user study: their author also wrote the parser. Measured: share of phrases whose
   filters are all exact, per-field accuracy, and the baseline « no parsing » (the whole phrase sent
   to full-text search, every filter empty), plus milliseconds per phrase.
2. **Classification** (``etabli.engines.classify``): the seed model (rules + model trained on the
   synthetic French corpus, seed 0) on (a) a held-out synthetic corpus drawn with another seed — same
   generator, so this is optimistic — with and without metadata, and (b) real text: the text layers of
   every PDF under ``invoices/`` read with pdfplumber (14 invoices from invoice2data and Factur-X, in
   English, French and Dutch; label « facture fournisseur », except ``Avoir_FR_type381_BASIC.pdf``
   whose Factur-X type code is 381: a credit note, labelled « avoir »). Each with the baselines in the
   same run: majority class and rules only (the vote of the French rules).
3. **Full-text latency at 100 000 documents** (written by the documents app): the app's own search
   (SQLite FTS5 by default, PostgreSQL with ``ETABLI_BENCH_DATABASE_URL``) on 100 000 synthetic
   documents, p50/p95 of the search page's queries; see :func:`run_fulltext_benchmark`.

Run: ``.venv/bin/python benchmarks/search.py [--data ../shared/datasets/invoices]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import numpy as np
import pdfplumber

from etabli.engines.classify import (
    DOC_TYPES,
    DocumentClassifier,
    DocumentMeta,
    Prediction,
    document_signals,
    generate_corpus,
    rule_scores,
)
from etabli.engines.classify.labels import AVOIR, FACTURE_CLIENT, FACTURE_FOURNISSEUR, INVOICE_TYPES
from etabli.engines.query import ParsedQuery, QueryParser

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "datasets" / "invoices"

# --------------------------------------------------------------------------------------------------
# 1. Search-box parsing

TODAY = date(2026, 2, 10)
KNOWN_CORRESPONDENTS = [
    "EDF",
    "Engie",
    "Orange",
    "Dupont SARL",
    "Leroy Merlin",
    "Point P",
    "Garage Martin",
    "Martin Plomberie",
    "Boulangerie Lefèvre",
    "Cabinet Moreau Expertise",
    "URSSAF",
    "SFR",
    "Axa France",
    "Brico Dépôt",
    "Transports Girard",
]
KNOWN_TAGS = ["énergie", "télécom", "loyer", "assurance", "matériaux", "carburant", "chantier Dupuis"]

INV = ("facture_fournisseur", "facture_client")


def q(phrase: str, **expected: object) -> tuple[str, dict[str, object]]:
    return phrase, expected


#: (phrase, expected filters). Keys: types, corr, min, max, start, end, tags, text; absent = empty.
QUERY_SET: list[tuple[str, dict[str, object]]] = [
    q(
        "factures EDF de plus de 500 € en 2025",
        types=INV,
        corr=["EDF"],
        min="500",
        start="2025-01-01",
        end="2025-12-31",
    ),
    q("contrats Dupont", types=["contrat"], corr=["Dupont SARL"]),
    q("relevés de mars", types=["releve_bancaire"], start="2025-03-01", end="2025-03-31"),
    q("facture orange janvier 2026", types=INV, corr=["Orange"], start="2026-01-01", end="2026-01-31"),
    q("avoirs Leroy Merlin", types=["avoir"], corr=["Leroy Merlin"]),
    q("devis de moins de 1000 euros", types=["devis"], max="1000"),
    q(
        "bons de livraison point p cette semaine",
        types=["bon_de_livraison"],
        corr=["Point P"],
        start="2026-02-09",
        end="2026-02-15",
    ),
    q("fiches de paie 2025", types=["bulletin_de_paie"], start="2025-01-01", end="2025-12-31"),
    q("bulletins de salaire de janvier", types=["bulletin_de_paie"], start="2026-01-01", end="2026-01-31"),
    q("courriers de l'URSSAF", types=["courrier_administratif"], corr=["URSSAF"]),
    q("CV reçus le mois dernier", types=["cv"], start="2026-01-01", end="2026-01-31"),
    q(
        "factures fournisseurs du 1er trimestre 2025",
        types=["facture_fournisseur"],
        start="2025-01-01",
        end="2025-03-31",
    ),
    q("factures clients impayées", types=["facture_client"], text="impayées"),
    q("factures entre 200 et 300 €", types=INV, min="200", max="300"),
    q("factures de 1 250,40 €", types=INV, min="1250.40", max="1250.40"),
    q("facture 89,90€", types=INV, min="89.90", max="89.90"),
    q("relevés bancaires depuis septembre", types=["releve_bancaire"], start="2025-09-01"),
    q("contrat de maintenance chaudière", types=["contrat"], text="maintenance chaudière"),
    q("documents Engie l'an dernier", corr=["Engie"], start="2025-01-01", end="2025-12-31"),
    q("factures SFR de moins de 50 €", types=INV, corr=["SFR"], max="50"),
    q("devis Brico Dépôt au moins 300 €", types=["devis"], corr=["Brico Dépôt"], min="300"),
    q("factures énergie", types=INV, tags=["énergie"]),
    q("tickets de caisse carburant", types=["facture_fournisseur"], tags=["carburant"]),
    q("attestation assurance Axa", corr=["Axa France"], tags=["assurance"], text="attestation"),
    q("factures du 01/03/2025 au 31/03/2025", types=INV, start="2025-03-01", end="2025-03-31"),
    q("relevés T4 2025", types=["releve_bancaire"], start="2025-10-01", end="2025-12-31"),
    q("factures du deuxième trimestre", types=INV, start="2025-04-01", end="2025-06-30"),
    q("factures premier semestre 2025", types=INV, start="2025-01-01", end="2025-06-30"),
    q("avoirs depuis le 15/01/2026", types=["avoir"], start="2026-01-15"),
    q("factures avant le 1er mars 2025", types=INV, end="2025-02-28"),
    q("devis de décembre", types=["devis"], start="2025-12-01", end="2025-12-31"),
    q("factures Garage Martin plus de 2000 €", types=INV, corr=["Garage Martin"], min="2000"),
    q("factures Martin", types=INV, corr=["Garage Martin", "Martin Plomberie"]),
    q(
        "bulletins de paie des 6 derniers mois",
        types=["bulletin_de_paie"],
        start="2025-08-10",
        end="2026-02-10",
    ),
    q("factures d'aujourd'hui", types=INV, start="2026-02-10", end="2026-02-10"),
    q("facture hier", types=INV, start="2026-02-09", end="2026-02-09"),
    q("factures loyer 2025", types=INV, tags=["loyer"], start="2025-01-01", end="2025-12-31"),
    q(
        "factures matériaux Point P de plus de 1 500 € en 2025",
        types=INV,
        corr=["Point P"],
        tags=["matériaux"],
        min="1500",
        start="2025-01-01",
        end="2025-12-31",
    ),
    q("contrats signés en 2024", types=["contrat"], text="signés", start="2024-01-01", end="2024-12-31"),
    q("relevé de compte février 2026", types=["releve_bancaire"], start="2026-02-01", end="2026-02-28"),
    q("factures de la boulangerie Lefèvre", types=INV, corr=["Boulangerie Lefèvre"]),
    q("factures boulangerie lefevre", types=INV, corr=["Boulangerie Lefèvre"]),
    q(
        "courriers administratifs de cette année",
        types=["courrier_administratif"],
        start="2026-01-01",
        end="2026-12-31",
    ),
    q("devis chantier Dupuis", types=["devis"], tags=["chantier Dupuis"]),
    q("factures Cabinet Moreau", types=INV, corr=["Cabinet Moreau Expertise"]),
    q("factures de plus de 10k€", types=INV, min="10000"),
    q(
        "factures transports girard 2024",
        types=INV,
        corr=["Transports Girard"],
        start="2024-01-01",
        end="2024-12-31",
    ),
    q("factures entre janvier et mars", types=INV, start="2025-01-01", end="2025-03-31"),
    q("BL de la semaine dernière", types=["bon_de_livraison"], start="2026-02-02", end="2026-02-08"),
    q("devis des 30 derniers jours", types=["devis"], start="2026-01-11", end="2026-02-10"),
    q("factures > 500", types=INV, min="500"),
    q("factures < 100 €", types=INV, max="100"),
    q("factures EDF de 2023 à 2025", types=INV, corr=["EDF"], start="2023-01-01", end="2025-12-31"),
    q("tous les contrats", types=["contrat"]),
    q("contrat de bail", types=["contrat"]),
    q("notes de frais décembre 2025", types=["facture_fournisseur"], start="2025-12-01", end="2025-12-31"),
    q("avoirs émis en 2025", types=["avoir"], start="2025-01-01", end="2025-12-31"),
    q("factures reçues en novembre", types=["facture_fournisseur"], start="2025-11-01", end="2025-11-30"),
    q("factures de vente de janvier", types=["facture_client"], start="2026-01-01", end="2026-01-31"),
    q("releve 15/01/2026", types=["releve_bancaire"], start="2026-01-15", end="2026-01-15"),
    q("factures Dupont SARL supérieures à 750 €", types=INV, corr=["Dupont SARL"], min="750"),
    q("facture Orange du 3 janvier", types=INV, corr=["Orange"], start="2026-01-03", end="2026-01-03"),
    q("devis inférieurs à 5 000 €", types=["devis"], max="5000"),
    q("contrats assurance", types=["contrat"], tags=["assurance"]),
    q(
        "courrier impots 2025",
        types=["courrier_administratif"],
        text="impots",
        start="2025-01-01",
        end="2025-12-31",
    ),
    q("facture n° FA-2025-0042", types=INV, text="FA-2025-0042"),
    q("les factures de mon expert-comptable", types=INV, text="expert-comptable"),
    q("cv candidature électricien", types=["cv"], text="électricien"),
    q("documents de plus de 1000 € du mois dernier", min="1000", start="2026-01-01", end="2026-01-31"),
    q("factures EDF ou Engie depuis 2025", types=INV, corr=["EDF", "Engie"], start="2025-01-01"),
]

#: A second set, written after the parser was tuned on QUERY_SET and never tuned on: a less biased
#: estimate (same author, same fixed ``today`` and names).
QUERY_SET_FRESH: list[tuple[str, dict[str, object]]] = [
    q("FACTURES EDF 2024", types=INV, corr=["EDF"], start="2024-01-01", end="2024-12-31"),
    q("devis de chez Point P", types=["devis"], corr=["Point P"]),
    q(
        "relevés bancaires de l'année dernière",
        types=["releve_bancaire"],
        start="2025-01-01",
        end="2025-12-31",
    ),
    q("factures entre 1 000 et 2 500 euros", types=INV, min="1000", max="2500"),
    q("avoir SFR", types=["avoir"], corr=["SFR"]),
    q("bulletin de paie mars 2025", types=["bulletin_de_paie"], start="2025-03-01", end="2025-03-31"),
    q("facture fournisseur février", types=["facture_fournisseur"], start="2026-02-01", end="2026-02-28"),
    q("contrats depuis 2023", types=["contrat"], start="2023-01-01"),
    q(
        "courriers urssaf de 2025",
        types=["courrier_administratif"],
        corr=["URSSAF"],
        start="2025-01-01",
        end="2025-12-31",
    ),
    q("factures au dessus de 300€", types=INV, min="300"),
    q("factures en dessous de 80 €", types=INV, max="80"),
    q("BL du 5 février", types=["bon_de_livraison"], start="2026-02-05", end="2026-02-05"),
    q("factures du 1er au 15 janvier", types=INV, start="2026-01-01", end="2026-01-15"),
    q("devis T3", types=["devis"], start="2025-07-01", end="2025-09-30"),
    q(
        "factures Engie du troisième trimestre 2025",
        types=INV,
        corr=["Engie"],
        start="2025-07-01",
        end="2025-09-30",
    ),
    q("cv électricien 2026", types=["cv"], text="électricien", start="2026-01-01", end="2026-12-31"),
    q("factures garage martin", types=INV, corr=["Garage Martin"]),
    q("factures Leroy Merlen", types=INV, corr=["Leroy Merlin"]),
    q("factures Brico Depot de moins de 100 euros", types=INV, corr=["Brico Dépôt"], max="100"),
    q("factures loyer depuis juillet", types=INV, tags=["loyer"], start="2025-07-01"),
    q("relevés des 2 derniers mois", types=["releve_bancaire"], start="2025-12-10", end="2026-02-10"),
    q("fiche de paie de ce mois-ci", types=["bulletin_de_paie"], start="2026-02-01", end="2026-02-28"),
    q("factures de plus de 1.500 €", types=INV, min="1500"),
    q("facture 1500.50 €", types=INV, min="1500.50", max="1500.50"),
    q("documents orange télécom", corr=["Orange"], tags=["télécom"]),
    q("contrats et devis Dupont SARL", types=["contrat", "devis"], corr=["Dupont SARL"]),
    q(
        "factures chantier dupuis 2025",
        types=INV,
        tags=["chantier Dupuis"],
        start="2025-01-01",
        end="2025-12-31",
    ),
    q("avoirs de janvier à juin 2025", types=["avoir"], start="2025-01-01", end="2025-06-30"),
    q(
        "factures clients de plus de 5000 € cette année",
        types=["facture_client"],
        min="5000",
        start="2026-01-01",
        end="2026-12-31",
    ),
    q("lettres de la banque", types=["courrier_administratif"], text="banque"),
    q("factures carburant du S2 2025", types=INV, tags=["carburant"], start="2025-07-01", end="2025-12-31"),
    q("devis transport girard", types=["devis"], corr=["Transports Girard"]),
]

QUERY_FIELDS = ("types", "corr", "amount", "dates", "tags", "text")


def _observed(parsed: ParsedQuery) -> dict[str, object]:
    return {
        "types": frozenset(parsed.doc_types),
        "corr": frozenset(parsed.correspondents),
        "amount": (parsed.amount_min, parsed.amount_max),
        "dates": (parsed.date_from, parsed.date_to),
        "tags": frozenset(parsed.tags),
        "text": " ".join(parsed.text.lower().split()),
    }


def _expected(spec: dict[str, object]) -> dict[str, object]:
    def amount(key: str) -> Decimal | None:
        value = spec.get(key)
        return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))

    def day(key: str) -> date | None:
        value = spec.get(key)
        return None if value is None else date.fromisoformat(str(value))

    return {
        "types": frozenset(spec.get("types", ())),  # type: ignore[arg-type]
        "corr": frozenset(spec.get("corr", ())),  # type: ignore[arg-type]
        "amount": (amount("min"), amount("max")),
        "dates": (day("start"), day("end")),
        "tags": frozenset(spec.get("tags", ())),  # type: ignore[arg-type]
        "text": " ".join(str(spec.get("text", "")).lower().split()),
    }


def _no_parsing(phrase: str) -> dict[str, object]:
    """Baseline: no parser, the whole phrase goes to full-text search."""
    return {
        "types": frozenset(),
        "corr": frozenset(),
        "amount": (None, None),
        "dates": (None, None),
        "tags": frozenset(),
        "text": " ".join(phrase.lower().split()),
    }


def _evaluate_queries(parser: QueryParser, queries: list[tuple[str, dict[str, object]]]) -> dict[str, object]:
    exact = baseline_exact = 0
    field_ok: Counter[str] = Counter()
    baseline_field_ok: Counter[str] = Counter()
    failures: list[tuple[str, str, dict[str, tuple[object, object]]]] = []
    start = time.perf_counter()
    parsed_all = [parser.parse(phrase, today=TODAY) for phrase, _spec in queries]
    elapsed = time.perf_counter() - start
    for (phrase, spec), parsed in zip(queries, parsed_all, strict=True):
        expected, observed, baseline = _expected(spec), _observed(parsed), _no_parsing(phrase)
        wrong = {
            name: (expected[name], observed[name])
            for name in QUERY_FIELDS
            if expected[name] != observed[name]
        }
        for name in QUERY_FIELDS:
            field_ok[name] += expected[name] == observed[name]
            baseline_field_ok[name] += expected[name] == baseline[name]
        exact += not wrong
        baseline_exact += all(expected[n] == baseline[n] for n in QUERY_FIELDS)
        if wrong:
            failures.append((phrase, parsed.summary, wrong))
    total = len(queries)
    return {
        "total": total,
        "exact": exact / total,
        "baseline_exact": baseline_exact / total,
        "fields": {name: field_ok[name] / total for name in QUERY_FIELDS},
        "baseline_fields": {name: baseline_field_ok[name] / total for name in QUERY_FIELDS},
        "ms": 1000 * elapsed / total,
        "failures": failures,
    }


def run_query_benchmark() -> dict[str, object]:
    parser = QueryParser(correspondents=KNOWN_CORRESPONDENTS, tags=KNOWN_TAGS)
    main_set = _evaluate_queries(parser, QUERY_SET)
    fresh = _evaluate_queries(parser, QUERY_SET_FRESH)
    print(
        f"\n== 1. Analyse de la barre de recherche : {main_set['total']} + {fresh['total']} phrases, "
        f"aujourd'hui = {TODAY.isoformat()} =="
    )
    print(f"{'champ':<12}{'jeu principal':>15}{'jeu neuf':>10}{'sans analyse (principal)':>26}")
    for name in QUERY_FIELDS:
        print(
            f"{name:<12}{main_set['fields'][name]:>15.1%}{fresh['fields'][name]:>10.1%}"  # type: ignore[index]
            f"{main_set['baseline_fields'][name]:>26.1%}"  # type: ignore[index]
        )
    print(
        f"{'tout exact':<12}{main_set['exact']:>15.1%}{fresh['exact']:>10.1%}{main_set['baseline_exact']:>26.1%}"
    )
    print(f"{main_set['ms']:.2f} ms par phrase (machine chargée)")
    for phrase, summary, wrong in main_set["failures"] + fresh["failures"]:  # type: ignore[operator]
        details = "; ".join(f"{name}: attendu {exp!r}, obtenu {obs!r}" for name, (exp, obs) in wrong.items())
        print(f"  ÉCHEC « {phrase} » → {summary} — {details}")
    return {
        "query_phrases": main_set["total"],
        "query_all_fields_exact": round(main_set["exact"], 4),  # type: ignore[arg-type]
        "query_field_accuracy": {k: round(v, 4) for k, v in main_set["fields"].items()},  # type: ignore[union-attr]
        "query_fresh_phrases": fresh["total"],
        "query_fresh_all_fields_exact": round(fresh["exact"], 4),  # type: ignore[arg-type]
        "query_fresh_field_accuracy": {k: round(v, 4) for k, v in fresh["fields"].items()},  # type: ignore[union-attr]
        "query_baseline_no_parsing_all_exact": round(main_set["baseline_exact"], 4),  # type: ignore[arg-type]
        "query_baseline_no_parsing_field_accuracy": {
            k: round(v, 4) for k, v in main_set["baseline_fields"].items()
        },  # type: ignore[union-attr]
        "query_ms_per_phrase": round(main_set["ms"], 3),  # type: ignore[arg-type]
    }


# --------------------------------------------------------------------------------------------------
# 2. Classification


@dataclass
class Scores:
    accuracy: float
    macro_f1: float
    coverage: float
    accuracy_when_answering: float
    ece: float | None

    def as_dict(self) -> dict[str, float | None]:
        return {key: (None if value is None else round(value, 4)) for key, value in self.__dict__.items()}


def _macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    labels = sorted(set(truth))
    values = []
    for label in labels:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p == label)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if t != label and p == label)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        values.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return float(np.mean(values)) if values else 0.0


def _ece(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    """Expected calibration error: mean |accuracy − confidence| over 10 confidence bins, weighted."""
    conf = np.asarray(confidences)
    hit = np.asarray(correct, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for low, high in pairwise(edges):
        mask = (conf > low) & (conf <= high) if low > 0 else (conf >= low) & (conf <= high)
        if mask.any():
            total += mask.mean() * abs(hit[mask].mean() - conf[mask].mean())
    return float(total)


def _score(truth: Sequence[str], predictions: Sequence[Prediction]) -> Scores:
    labels = [p.label for p in predictions]
    correct = [t == p for t, p in zip(truth, labels, strict=True)]
    answered = [c for c, p in zip(correct, predictions, strict=True) if not p.abstain]
    return Scores(
        accuracy=float(np.mean(correct)),
        macro_f1=_macro_f1(truth, labels),
        coverage=len(answered) / len(predictions),
        accuracy_when_answering=float(np.mean(answered)) if answered else 0.0,
        ece=_ece([p.confidence for p in predictions], correct),
    )


def _label_scores(truth: Sequence[str], labels: Sequence[str]) -> Scores:
    correct = [t == p for t, p in zip(truth, labels, strict=True)]
    return Scores(float(np.mean(correct)), _macro_f1(truth, labels), 1.0, float(np.mean(correct)), None)


def rules_only(text: str, meta: DocumentMeta | None) -> str:
    """Baseline: the type with the most rule points; invoices split by the issuer flag (supplier by
    default); no rule fired → « autre »."""
    scores = rule_scores(document_signals(text, meta))
    if not scores:
        return "autre"
    invoice = scores.get(FACTURE_FOURNISSEUR, 0.0) + scores.get(FACTURE_CLIENT, 0.0)
    merged = {label: value for label, value in scores.items() if label not in INVOICE_TYPES}
    merged["facture"] = invoice
    best = max(sorted(merged), key=lambda label: merged[label])
    if best != "facture":
        return best
    return FACTURE_CLIENT if meta is not None and meta.issuer_is_company else FACTURE_FOURNISSEUR


def real_documents(data: Path) -> list[tuple[str, str, str]]:
    """(file name, text layer, true label) of every PDF under the data folder."""
    items = []
    for path in sorted(data.rglob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        label = AVOIR if path.name.startswith("Avoir_") else FACTURE_FOURNISSEUR
        items.append((path.name, text, label))
    return items


def _print_scores(title: str, rows: dict[str, Scores]) -> None:
    print(f"\n{title}")
    print(
        f"{'méthode':<34}{'exactitude':>11}{'F1 macro':>10}{'couverture':>11}{'exact. si répond':>17}{'ECE':>7}"
    )
    for name, s in rows.items():
        ece = "—" if s.ece is None else f"{s.ece:.3f}"
        print(
            f"{name:<34}{s.accuracy:>11.1%}{s.macro_f1:>10.3f}{s.coverage:>11.1%}{s.accuracy_when_answering:>17.1%}{ece:>7}"
        )


def run_classification_benchmark(
    data: Path, held_out_per_class: int, held_out_seed: int
) -> dict[str, object]:
    started = time.perf_counter()
    classifier = DocumentClassifier.seed()
    train_seconds = time.perf_counter() - started
    corpus = generate_corpus(held_out_per_class, random_state=held_out_seed)
    texts = [doc.text for doc in corpus]
    truth = [doc.label for doc in corpus]
    metas = [doc.meta for doc in corpus]
    started = time.perf_counter()
    with_meta = classifier.predict_many(texts, metas)
    predict_seconds = time.perf_counter() - started
    text_only = classifier.predict_many(texts)
    majority = Counter(truth).most_common(1)[0][0]
    synthetic_rows = {
        "modèle d'amorçage (texte + méta)": _score(truth, with_meta),
        "modèle d'amorçage (texte seul)": _score(truth, text_only),
        "règles seules (texte + méta)": _label_scores(
            truth, [rules_only(t, m) for t, m in zip(texts, metas, strict=True)]
        ),
        "classe majoritaire": _label_scores(truth, [majority] * len(truth)),
    }
    _print_scores(
        f"== 2a. Classement, corpus synthétique tenu à part ({len(corpus)} documents, graine {held_out_seed}) ==",
        synthetic_rows,
    )
    recall = {
        label: float(np.mean([p.label == label for p, t in zip(with_meta, truth, strict=True) if t == label]))
        for label in DOC_TYPES
    }
    print("rappel par type (texte + méta) : " + ", ".join(f"{k} {v:.0%}" for k, v in recall.items()))
    print(
        f"amorçage : {train_seconds:.1f} s ; prédiction : {1000 * predict_seconds / len(corpus):.2f} ms par document "
        f"(machine chargée par d'autres tâches)"
    )

    real = real_documents(data)
    real_truth = [label for _name, _text, label in real]
    real_texts = [text for _name, text, _label in real]
    supplier_meta = [DocumentMeta(issuer_is_company=False) for _ in real]
    real_text_only = classifier.predict_many(real_texts)
    real_with_issuer = classifier.predict_many(real_texts, supplier_meta)
    real_rows = {
        "modèle d'amorçage (texte seul)": _score(real_truth, real_text_only),
        "modèle d'amorçage (+ émetteur tiers)": _score(real_truth, real_with_issuer),
        "règles seules (texte seul)": _label_scores(real_truth, [rules_only(t, None) for t in real_texts]),
        "classe majoritaire": _label_scores(
            real_truth, [Counter(real_truth).most_common(1)[0][0]] * len(real)
        ),
    }
    _print_scores(
        f"== 2b. Classement, vrais PDF ({len(real)} couches texte lues par pdfplumber) ==", real_rows
    )
    print(f"{'fichier':<30}{'attendu':<22}{'texte seul':<34}{'+ émetteur tiers':<30}")
    for (name, _text, label), alone, issuer in zip(real, real_text_only, real_with_issuer, strict=True):

        def show(p: Prediction) -> str:
            return f"{p.label} {p.confidence:.2f}{' (abst.)' if p.abstain else ''}"

        print(f"{name:<30}{label:<22}{show(alone):<34}{show(issuer):<30}")
    return {
        "classify_train_seconds": round(train_seconds, 2),
        "classify_ms_per_document": round(1000 * predict_seconds / len(corpus), 3),
        "classify_synthetic_documents": len(corpus),
        "classify_synthetic": {name: s.as_dict() for name, s in synthetic_rows.items()},
        "classify_synthetic_recall": {k: round(v, 4) for k, v in recall.items()},
        "classify_real_documents": len(real),
        "classify_real": {name: s.as_dict() for name, s in real_rows.items()},
    }


# --------------------------------------------------------------------------------------------------
# 3. Full-text latency (to be written by the documents app)


# --------------------------------------------------------------------------------------------------
# 3. Full-text search latency — written by the documents app (etabli.documents.search / selectors)
#
# Protocol: a throw-away database (SQLite in a temporary folder by default; PostgreSQL when
# ETABLI_BENCH_DATABASE_URL is set — never DATABASE_URL, so a real base is never touched) is migrated;
# one company gets ``n_documents`` documents whose texts come from the synthetic French corpus of
# etabli.engines.classify (a pool of 11 × 300 documents, each copy made unique by its correspondent
# among 400 names, its reference, date, amount and tags); they are indexed through the app's own
# functions (FTS5 rows analysed by the French analyser / tsvector with the etabli_french configuration).
# Then every query is run as the documents page runs it: ``filter_documents`` (filters + full text,
# ranked), first page of 30 rows and the total count. Queries: the 70 phrases of QUERY_SET parsed by the
# search box (filters + leftover text), plus 30 plain full-text queries (frequent and rare words,
# two-word queries, prefixes as typed, identifiers). Three rounds; the first warms the caches and is not
# counted. p50/p95/max in milliseconds over the other two rounds.

FULLTEXT_QUERIES = [
    "facture", "facture électricité", "electricite", "contrat", "contrat de maintenance", "relevé de compte",
    "bulletin de paie", "salaire brut", "devis", "bon de livraison", "avoir", "urssaf", "loyer", "assurance",
    "chêne", "panneaux", "livraison", "factu", "contr", "maint", "attestation", "résiliation", "curriculum",
    "expérience professionnelle", "pénalités de retard", "TVA 20", "net à payer", "IBAN", "REF-004217",
    "Scierie 12",
]


def run_fulltext_benchmark(
    n_documents: int = 100_000, queries: Sequence[ParsedQuery] = ()
) -> dict[str, object] | None:
    """p50/p95 latency of filtered full-text search at ``n_documents`` documents (see the protocol above)."""
    import os
    import random
    import shutil
    import tempfile

    keep = os.environ.get("ETABLI_BENCH_SEARCH_DIR", "")  # reuse a built base (iterating on the search code)
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="etabli-bench-search-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["ETABLI_DATA_DIR"] = str(work)
    os.environ["DJANGO_SETTINGS_MODULE"] = "etabli.settings"
    bench_url = os.environ.get("ETABLI_BENCH_DATABASE_URL", "")
    os.environ["DATABASE_URL"] = bench_url or f"sqlite:///{work / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from etabli.core.services.companies import create_company
    from etabli.documents import search
    from etabli.documents.models import Document, DocumentStatus, DocumentTag, Tag

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        from etabli.core.models import Company

        existing = Company.objects.filter(legal_name="Banc d'essai recherche SARL").first()
        if existing is not None and Document.objects.for_company(existing).count() == n_documents:
            return _time_queries(existing, queries, started, started, started)
        if existing is not None:
            existing.delete()
        company = create_company(legal_name="Banc d'essai recherche SARL")
        rng = random.Random(42)
        pool = generate_corpus(300, random_state=7, noise=0.2)
        names = [f"{rng.choice(['Scierie', 'Garage', 'Cabinet', 'Transports', 'Boulangerie', 'Plomberie'])} "
                 f"{rng.choice(['Martin', 'Dupont', 'Lefèvre', 'Moreau', 'Girard', 'Roux', 'Blanc'])} {i}"
                 for i in range(400)] + KNOWN_CORRESPONDENTS
        tags = [Tag.objects.create(company=company, name=name) for name in KNOWN_TAGS]
        pool_terms = [search.analyse(doc.text) for doc in pool]
        generated = time.perf_counter()
        batch, tag_rows, fts_rows = [], [], []
        base_day = date(2023, 1, 1).toordinal()
        for index in range(n_documents):
            doc = pool[index % len(pool)]
            name = names[rng.randrange(len(names))]
            reference = f"REF-{index:06d}"
            amount = Decimal(rng.randrange(500, 2_000_000)) / 100 if doc.label in (*INVOICE_TYPES, AVOIR, "devis") else None
            batch.append(Document(
                company=company, title=f"{doc.label.replace('_', ' ').capitalize()} {name} {reference}",
                original_filename=f"{reference}.pdf", checksum=f"{index:064d}", size=1000, file=f"bench/{index}.pdf",
                status=DocumentStatus.FILED, doc_type=doc.label, correspondent_name=name,
                doc_date=date.fromordinal(base_day + rng.randrange(1200)), amount_ttc=amount, reference=reference,
                content=doc.text, search_body=f"{name}\n{reference}\n{doc.text}"[: search.MAX_BODY_CHARS],
            ))
            batch[-1].refresh_derived()  # the folded correspondent and sort date, as save() would set them
            if len(batch) == 5000 or index == n_documents - 1:
                with transaction.atomic():
                    created = Document.objects.bulk_create(batch)
                    for document in created:
                        pool_index = (document.pk - created[0].pk + index + 1 - len(created)) % len(pool)
                        if rng.random() < 0.3:
                            tag_rows.append(DocumentTag(company=company, document=document, tag=rng.choice(tags)))
                        fts_rows.append((document.pk, f"{search.analyse(document.title)} {pool_terms[pool_index]}"))
                    DocumentTag.objects.bulk_create(tag_rows)
                    if connection.vendor == "sqlite":
                        with connection.cursor() as cursor:
                            cursor.executemany(f"INSERT INTO {search.FTS_TABLE}(rowid, body) VALUES (%s, %s)", fts_rows)
                batch, tag_rows, fts_rows = [], [], []
        if connection.vendor == "postgresql":
            config = search.pg_config()
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE documents_document SET search_vector = setweight(to_tsvector(%s::regconfig, title), 'A')"
                    " || setweight(to_tsvector(%s::regconfig, search_body), 'B') WHERE company_id = %s",
                    [config, config, company.pk])
                cursor.execute("ANALYZE documents_document")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        indexed = time.perf_counter()
        return _time_queries(company, queries, started, generated, indexed)
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def _time_queries(company, queries, started: float, generated: float, indexed: float) -> dict[str, object]:
    """Run every query as the documents page does (page of 30 + count), three rounds, first one not counted."""
    import statistics

    from django.db import connection

    from etabli.documents import search
    from etabli.documents.models import Document
    from etabli.documents.nlsearch import filters_from_parsed
    from etabli.documents.selectors import DocumentFilters, filter_documents

    cases: list[tuple[str, DocumentFilters]] = [("phrase", filters_from_parsed(p)) for p in queries]
    cases += [("texte", DocumentFilters(text=text)) for text in FULLTEXT_QUERIES]
    timings: dict[str, list[float]] = {"phrase": [], "texte": []}
    slowest: list[tuple[float, str]] = []
    for round_number in range(3):
        for kind, filters in cases:
            t0 = time.perf_counter()
            qs = filter_documents(company, filters)
            rows = list(qs[:30])
            total = qs.count()
            elapsed = (time.perf_counter() - t0) * 1000
            if round_number:
                timings[kind].append(elapsed)
                slowest.append((elapsed, f"{filters.text!r} {filters.doc_types} → {total}"))
            del rows
    every = timings["phrase"] + timings["texte"]

    def pct(values: list[float], q: float) -> float:
        return round(statistics.quantiles(values, n=100)[q - 1], 1) if len(values) > 1 else round(values[0], 1)

    slowest.sort(reverse=True)
    return {
        "fulltext_backend": "PostgreSQL (tsvector + GIN, " + search.pg_config() + ")"
        if connection.vendor == "postgresql" else "SQLite FTS5 (analyse française, sans accents)",
        "fulltext_documents": Document.objects.for_company(company).count(),
        "fulltext_queries": len(cases),
        "fulltext_p50_ms": pct(every, 50),
        "fulltext_p95_ms": pct(every, 95),
        "fulltext_max_ms": round(max(every), 1),
        "fulltext_text_only_p95_ms": pct(timings["texte"], 95),
        "fulltext_phrases_p95_ms": pct(timings["phrase"], 95),
        "fulltext_slowest": slowest[0][1] if slowest else "",
        "fulltext_build_seconds": round(indexed - started, 1),
        "fulltext_generation_seconds": round(generated - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="dossier des PDF réels (invoices/)")
    parser.add_argument(
        "--held-out", type=int, default=60, help="documents synthétiques tenus à part par type"
    )
    parser.add_argument("--held-out-seed", type=int, default=2026)
    parser.add_argument("--documents", type=int, default=100_000, help="documents du banc plein texte")
    parser.add_argument("--fulltext-only", action="store_true", help="seulement la partie 3 (plein texte)")
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"Données absentes : {args.data}")
    figures: dict[str, object] = {}
    if not args.fulltext_only:
        figures.update(run_query_benchmark())
        figures.update(run_classification_benchmark(args.data, args.held_out, args.held_out_seed))
    parser_for_fulltext = QueryParser(correspondents=KNOWN_CORRESPONDENTS, tags=KNOWN_TAGS)
    fulltext = run_fulltext_benchmark(
        n_documents=args.documents, queries=[parser_for_fulltext.parse(p, today=TODAY) for p, _ in QUERY_SET]
    )
    print("\n== 3. Recherche plein texte à 100 000 documents ==")
    if fulltext is None:
        print("non mesuré ici : à compléter par l'app documents (run_fulltext_benchmark)")
        figures["fulltext"] = None
    else:
        print(" ".join(f"{k}={v}" for k, v in fulltext.items()))
        figures["fulltext"] = fulltext
    figures["timings_note"] = "machine partagée et chargée pendant la mesure"
    print(json.dumps(figures, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main()
