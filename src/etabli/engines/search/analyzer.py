"""French text analysis for retrieval: normalise, split, drop stop words, stem.

Why each step:
- lower-case and accent folding, because customers type "ete", "été" or "ÉTÉ" for the same word;
- elision stripping ("l'atelier" → "atelier", "qu'il" → "il"), because the article glued to the noun
  would otherwise make "l'atelier" and "atelier" two different terms;
- Snowball French stemming (the `snowballstemmer` package), so that "livraison", "livrer", "livrez"
  meet; the stemmer runs on the accented word (Snowball's French rules expect accents) and the stem is
  folded afterwards, so a question typed without accents still meets the KB written with them;
- a light synonyms hook, so an owner can say that "colis" should also find "commande" without us
  guessing a thesaurus for every trade.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

from etabli.engines.search.errors import SearchError
from etabli.engines.search.stopwords import FRENCH_STOP_WORDS

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "´": "'", "‘": "'"})
#: Elided words: l' d' j' m' n' s' t' c' qu' and the conjunctions ending in qu' (jusqu', lorsqu', …).
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)'", re.IGNORECASE)
_AUJOURDHUI = re.compile(r"\baujourd'hui\b", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)

_thread_local = threading.local()


def fold_accents(text: str) -> str:
    """ "Été à Noël" → "Ete a Noel": remove combining marks and expand the French ligatures."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def strip_elisions(text: str) -> str:
    """ "l'atelier qu'il a" → "atelier il a" (typographic apostrophes are accepted too)."""
    text = _AUJOURDHUI.sub("aujourdhui", text.translate(_APOSTROPHES))
    return _ELISION.sub("", text)


def normalize(text: str) -> str:
    """Lower-case, elisions removed, accents folded, spaces collapsed: the form every matcher compares."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = fold_accents(strip_elisions(text))
    return " ".join(text.split())


def _stemmer() -> snowballstemmer.stemmer:
    """One Snowball stemmer per thread: the stemmer keeps state while it works, so it is not shareable."""
    stemmer = getattr(_thread_local, "stemmer", None)
    if stemmer is None:
        stemmer = snowballstemmer.stemmer("french")
        _thread_local.stemmer = stemmer
    return stemmer


@lru_cache(maxsize=100_000)
def stem_word(word: str) -> str:
    """Snowball French stem of a lower-case word, accent-folded after stemming ("livrées" → "livr").

    One light rule is added after Snowball, which keeps the noun suffix "-aison": "livraison" → "livr"
    meets "livrez"/"livré" (shop FAQs are full of it); short words ("maison", "saison") are untouched.
    """
    stem = fold_accents(_stemmer().stemWord(word))
    if stem.endswith("aison") and len(stem) > 7:
        stem = stem[: -len("aison")]
    return stem


@dataclass(frozen=True)
class FrenchAnalyzer:
    """Turns French text into index terms; the same instance must analyse documents and queries.

    `synonyms` maps a folded word to words it should also match at query time, e.g.
    ``{"colis": ["commande"]}``; keys and values are analysed like any text.
    """

    stop_words: frozenset[str] = FRENCH_STOP_WORDS
    stem: bool = True
    min_length: int = 2
    synonyms: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def tokens(self, text: str) -> list[str]:
        """Surface tokens, lower-cased and without elisions, accents kept (what the stemmer expects)."""
        if not isinstance(text, str):
            raise SearchError("Le texte à analyser doit être une chaîne de caractères.")
        lowered = strip_elisions(unicodedata.normalize("NFKC", text).lower())
        return _TOKEN.findall(lowered)

    def analyze(self, text: str) -> list[str]:
        """Index terms of a document or a query, in order, duplicates kept (BM25 counts them)."""
        return [term for token in self.tokens(text) if (term := self._term(token)) is not None]

    def analyze_query(self, text: str) -> list[str]:
        """Like `analyze`, plus the terms of the configured synonyms (each added once)."""
        terms = self.analyze(text)
        if not self.synonyms:
            return terms
        expanded = list(terms)
        seen = set(terms)
        for token in self.tokens(text):
            for synonym in self.synonyms.get(fold_accents(token), ()):
                for term in self.analyze(synonym):
                    if term not in seen:
                        seen.add(term)
                        expanded.append(term)
        return expanded

    def _term(self, token: str) -> str | None:
        folded = fold_accents(token)
        if folded in self.stop_words:
            return None
        if len(folded) < self.min_length and not folded.isdigit():
            return None
        return stem_word(token) if self.stem and not folded.isdigit() else folded


def analyze_all(analyzer: FrenchAnalyzer, texts: Iterable[str]) -> list[list[str]]:
    """Analyse many texts with one analyzer (a helper for building indexes)."""
    return [analyzer.analyze(text) for text in texts]
