"""Document chunker: titles from headings, size limit, overlap, nothing lost."""

from __future__ import annotations

import itertools
import re

import pytest

from etabli.engines.search import SearchError, chunk_document

PROCEDURE = """# Notes de frais

Chaque salarié déclare ses frais dans l'application avant le 5 du mois suivant.

## Justificatifs

Photographiez chaque ticket. Les tickets illisibles sont refusés. Gardez l'original trois mois.

## Remboursement

- Le service comptable valide les notes le 8.
- Le virement part le 10.

Autre titre
===========

Ce paragraphe est sous un titre souligné.
"""


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def test_markdown_headings_become_titles() -> None:
    chunks = chunk_document(PROCEDURE, title="Procédure frais")
    titles = [c.title for c in chunks]
    assert titles[0] == "Procédure frais › Notes de frais"
    assert "Procédure frais › Notes de frais › Justificatifs" in titles
    assert "Procédure frais › Notes de frais › Remboursement" in titles
    assert (
        titles[-1] == "Procédure frais › Autre titre"
    )  # an "===" title is level 1: it closes "Notes de frais"
    assert [c.index for c in chunks] == list(range(len(chunks)))


def test_dash_underlined_title_is_level_two() -> None:
    chunks = chunk_document("# Guide\n\nIntro.\n\nSous-partie\n-----------\n\nDétail.")
    assert [c.title for c in chunks] == ["Guide", "Guide › Sous-partie"]


def test_list_items_and_indexed_text() -> None:
    chunks = chunk_document(PROCEDURE)
    refund = next(c for c in chunks if c.title.endswith("Remboursement"))
    assert "- Le service comptable valide les notes le 8." in refund.text
    assert refund.indexed_text.startswith("Notes de frais › Remboursement\n")


def test_plain_text_capital_titles_are_headings() -> None:
    chunks = chunk_document(
        "CONGÉS PAYÉS\nPosez vos congés un mois à l'avance.\n\nTÉLÉTRAVAIL\nDeux jours par semaine."
    )
    assert [c.title for c in chunks] == ["CONGÉS PAYÉS", "TÉLÉTRAVAIL"]


def test_long_section_is_cut_with_overlap_and_nothing_lost() -> None:
    body = " ".join(f"Étape {n} : vérifiez le point numéro {n} avant de continuer." for n in range(1, 60))
    chunks = chunk_document(f"# Montage\n\n{body}", max_chars=300, overlap_chars=80)
    assert len(chunks) > 5
    assert all(len(c.text) <= 300 for c in chunks)
    for previous, current in itertools.pairwise(chunks):
        last_sentence = _sentences(previous.text)[-1]
        assert current.text.startswith(last_sentence)  # the overlap repeats the end of the previous passage
    joined = " ".join(c.text for c in chunks)
    assert all(sentence in joined for sentence in _sentences(body))


def test_a_word_longer_than_a_passage_is_still_cut() -> None:
    chunks = chunk_document("x" * 450, max_chars=200, overlap_chars=0)
    assert all(len(c.text) <= 200 for c in chunks)


def test_empty_document_gives_no_chunk() -> None:
    assert chunk_document("   \n\n") == []


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(SearchError):
        chunk_document("texte", max_chars=50)
    with pytest.raises(SearchError):
        chunk_document("texte", max_chars=200, overlap_chars=150)
    with pytest.raises(SearchError):
        chunk_document(b"octets")  # type: ignore[arg-type]
