"""The benchmark's labelled e-mail set is well formed, balanced and split by family."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "email_triage_fr.jsonl"


def test_dataset_is_large_balanced_and_split_by_family() -> None:
    records = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(records) >= 200
    assert set(Counter(r["label"] for r in records).values()) == {60}
    assert Counter(r["split"] for r in records) == {"dev": 120, "test": 120}
    splits_by_family: dict[str, set[str]] = {}
    for record in records:
        splits_by_family.setdefault(record["family"], set()).add(record["split"])
        assert record["body"].strip() and record["subject"].strip() and "{" not in record["body"]
    assert all(len(splits) == 1 for splits in splits_by_family.values())
    assert len({r["id"] for r in records}) == len(records)
    assert len({r["body"] for r in records}) == len(records)  # variants differ
