from __future__ import annotations

import pytest

from etabli.engines.matching.partners import PartnerDirectory, name_strength
from etabli.engines.matching.references import ReferenceIndex
from etabli.engines.matching.text import clean_name, distinctive_tokens, normalise
from tests.engines.matching.helpers import book, invoice


def test_normalise_and_clean_names():
    assert normalise("Réglement  Fa-2026/0042 — Chêne") == "REGLEMENT FA 2026 0042 CHENE"
    assert clean_name("SCI Les Tilleuls") == "TILLEULS"
    assert clean_name("Ets Moreau et Fils SARL") == "MOREAU FILS"
    assert clean_name("SARL") == "SARL"  # a name made only of a legal form is kept
    assert distinctive_tokens("VIR SEPA RECU /DE DUPONT CONSTR FA-2026-0042") == ["DUPONT", "CONSTR"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("REGLEMENT FA-2026-0042", "full"),
        ("FA 2026 0042 MERCI", "full"),
        ("fa20260042", "full"),
        ("FACT 2026 0042", "digits"),
        ("20260042", "digits"),
    ],
)
def test_reference_written_in_many_ways(text, kind):
    hits = ReferenceIndex(book()).search(text)
    assert hits["c1"].kind == kind and hits["c1"].shown == "FA-2026-0042"


def test_reference_is_not_found_inside_a_longer_number():
    assert "c1" not in ReferenceIndex(book()).search("FA-2026-00421")
    assert "c1" not in ReferenceIndex(book()).search("CMD 120260042")


def test_truncated_reference_at_the_end_of_a_label():
    items = [invoice("a", "FA-2026-0042", "X", "1.00"), invoice("b", "FA-2026-0143", "Y", "1.00")]
    hits = ReferenceIndex(items).search("VIR SEPA DUPONT FA-2026-004", label="VIR SEPA DUPONT FA-2026-004")
    assert set(hits) == {"a"} and hits["a"].kind == "truncated"


def test_short_or_letter_only_references_are_ignored():
    items = [invoice("a", "42", "X", "1.00", references=("ABCD",))]
    assert ReferenceIndex(items).search("VIR 42 ABCD") == {}


def test_customer_references_are_indexed():
    items = [invoice("a", "FA-1", "X", "1.00", references=("CMD-77812",))]
    assert ReferenceIndex(items).search("VIR SEPA CMD 77812")["a"].shown == "CMD-77812"


def test_name_scores_typos_abbreviations_and_rare_words():
    directory = PartnerDirectory(book())
    assert directory.scores("VIR DUPONT CONSTR")["DUPONT CONSTRUCTION"] >= 90
    assert directory.scores("VIR DUPOMT CONSTRUCTION")["DUPONT CONSTRUCTION"] >= 85
    scores = directory.scores("VIR SEPA RECU MARTIN")
    assert max(scores.values()) < 72  # « MARTIN » alone: two partners share it
    assert directory.scores("VIR TILLEULS")["TILLEULS"] == 100
    assert directory.scores("VIR M LEBLANC")["LEBLANC ISABELLE"] >= 80  # a rare word of the name


def test_name_strength_is_monotone():
    values = [name_strength(score) for score in range(0, 101, 5)]
    assert values == sorted(values) and values[0] == 0 and values[-1] == 1
