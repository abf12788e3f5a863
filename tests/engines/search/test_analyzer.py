"""The French analyser: accents, elisions, stop words, stemming, synonyms."""

from __future__ import annotations

import pytest

from etabli.engines.search import FrenchAnalyzer, SearchError, fold_accents, normalize, strip_elisions


@pytest.fixture(scope="module")
def analyzer() -> FrenchAnalyzer:
    return FrenchAnalyzer()


def test_fold_accents_removes_marks_and_expands_ligatures() -> None:
    assert fold_accents("Été à Noël, l'œuvre çà") == "Ete a Noel, l'oeuvre ca"


def test_strip_elisions_handles_typographic_apostrophes_and_aujourdhui() -> None:
    assert strip_elisions("l’atelier qu'il jusqu'à aujourd'hui") == "atelier il à aujourdhui"


def test_normalize_is_lowercase_folded_and_collapsed() -> None:
    assert normalize("  L'ÉTÉ   à   Noël ") == "ete a noel"


def test_accents_and_case_do_not_change_terms(analyzer: FrenchAnalyzer) -> None:
    assert analyzer.analyze("été") == analyzer.analyze("ete") == analyzer.analyze("ÉTÉ")
    assert analyzer.analyze("Fermé le mercredi") == analyzer.analyze("ferme le MERCREDI")


def test_elided_article_is_not_a_term(analyzer: FrenchAnalyzer) -> None:
    assert analyzer.analyze("l'atelier") == analyzer.analyze("atelier")
    assert analyzer.analyze("qu'il livre") == analyzer.analyze("il livre")


def test_stemming_joins_word_forms(analyzer: FrenchAnalyzer) -> None:
    assert analyzer.analyze("commandes") == analyzer.analyze("commander") == analyzer.analyze("commandé")
    # Snowball keeps "-aison"; our light rule makes the noun meet the verb.
    assert analyzer.analyze("livraison") == analyzer.analyze("livrez") == analyzer.analyze("livrées")
    assert analyzer.analyze("maison") == ["maison"]


def test_stop_words_are_dropped_but_question_words_kept(analyzer: FrenchAnalyzer) -> None:
    assert analyzer.analyze("le la les de des vous nous est") == []
    assert "quand" in analyzer.analyze("Quand livrez-vous ?")
    assert "combien" in analyzer.analyze("Combien ça coûte ?")


def test_numbers_are_kept_unstemmed(analyzer: FrenchAnalyzer) -> None:
    assert "12345" in analyzer.analyze("commande n°12345")


def test_stemming_can_be_switched_off() -> None:
    assert FrenchAnalyzer(stem=False).analyze("Livraisons rapides") == ["livraisons", "rapides"]


def test_synonyms_expand_queries_only() -> None:
    analyzer = FrenchAnalyzer(synonyms={"colis": ["commande"]})
    assert analyzer.analyze("mon colis") == analyzer.analyze("colis")
    expanded = analyzer.analyze_query("mon colis")
    assert analyzer.analyze("commande")[0] in expanded
    assert expanded[0] == analyzer.analyze("colis")[0]


def test_non_text_is_refused_in_french(analyzer: FrenchAnalyzer) -> None:
    with pytest.raises(SearchError, match="chaîne de caractères"):
        analyzer.analyze(None)  # type: ignore[arg-type]
