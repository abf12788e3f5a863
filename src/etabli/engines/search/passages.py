"""Passage retrieval over procedure documents, with a score that can be thresholded.

Why not the FAQ router: document passages have no question variants to learn from, and mixing them into the
router's entries would starve its classifier (it needs several variants per entry). Why not `BM25Index`
alone: raw BM25 has no scale, so "is this passage good enough to quote?" cannot be decided from it. Passages
are ranked by BM25, and the best one is judged by its *coverage*: the idf-weighted share of the question's
informative words that the passage (title included) contains. A coverage of 0.8 reads "80 % of what the
question is about is in this passage"; words the documents never use count with the highest idf, so a
question about something absent scores low. Immutable once fitted (thread-safe, picklable: no lock).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from etabli.engines.search.analyzer import FrenchAnalyzer
from etabli.engines.search.bm25 import BM25Scorer, make_snippet
from etabli.engines.search.errors import SearchError

_TITLE_REPEAT = 2  # a question often names the section: its title words count twice
#: Words that shape a question but say nothing of its subject ("comment faire…", "quand dois-je…"): a passage
#: is not expected to contain them, so they count neither in the ranking nor in the coverage.
QUESTION_WORDS = (
    "comment quand combien pourquoi où quel quelle quels quelles quoi qui faire fais fait faut dois doit "
    "doivent peux peut peuvent puis pouvez pourrais pourriez voudrais voudrait aimerais veux veut savoir sais "
    "bonjour merci svp stp possible existe"
)


@dataclass(frozen=True)
class Passage:
    """A passage to index: an id chosen by the caller, the headings above it and its text."""

    passage_id: str
    title: str
    text: str


@dataclass(frozen=True)
class PassageHit:
    """A passage found for a question: BM25 score (ranking), coverage 0–1 (threshold) and an extract."""

    passage_id: str
    title: str
    score: float
    coverage: float
    snippet: str


class PassageIndex:
    """Fit once on a list of passages, then `search(question)`.

    Usage::

        index = PassageIndex().fit([Passage("p1", "Notes de frais", "Remettez la note avant le 5…")])
        hits = index.search("comment déclarer mes frais ?")   # hits[0].coverage ≈ 0.5–1.0
    """

    def __init__(self, *, analyzer: FrenchAnalyzer | None = None, k1: float = 1.2, b: float = 0.75) -> None:
        self.analyzer = analyzer or FrenchAnalyzer()
        self._scorer = BM25Scorer(k1=k1, b=b)
        self._passages: tuple[Passage, ...] = ()
        self._term_sets: tuple[frozenset[str], ...] = ()
        self._question_terms = frozenset(self.analyzer.analyze(QUESTION_WORDS))

    def __len__(self) -> int:
        return len(self._passages)

    @property
    def passages(self) -> tuple[Passage, ...]:
        return self._passages

    def fit(self, passages: Sequence[Passage]) -> PassageIndex:
        ids = [p.passage_id for p in passages]
        if any(not isinstance(p, Passage) or not p.passage_id for p in passages):
            raise SearchError("Chaque passage doit être un Passage avec un identifiant.")
        if len(set(ids)) != len(ids):
            raise SearchError("Deux passages ont le même identifiant.")
        analysed = [
            self.analyzer.analyze(" ".join([p.title] * _TITLE_REPEAT + [p.text])) for p in passages
        ]
        scorer = BM25Scorer(k1=self._scorer.k1, b=self._scorer.b).fit(analysed)
        self._scorer, self._passages = scorer, tuple(passages)
        self._term_sets = tuple(frozenset(terms) for terms in analysed)
        return self

    def search(self, question: str, k: int = 3) -> list[PassageHit]:
        """The `k` best passages sharing at least one word with the question, best first."""
        if not isinstance(question, str) or not question.strip():
            raise SearchError("La question est vide.")
        if k < 1:
            raise SearchError("Le nombre de passages demandés doit être au moins 1.")
        if not self._passages:
            return []
        terms = [t for t in self.analyzer.analyze_query(question) if t not in self._question_terms]
        distinct = set(terms)
        if not distinct:
            return []
        scores = self._scorer.score(terms)
        weights = {term: self._idf(term) for term in distinct}
        total = sum(weights.values())
        hits: list[PassageHit] = []
        for row in np.argsort(-scores, kind="stable")[:k]:
            if scores[row] <= 0:
                break
            passage = self._passages[row]
            covered = sum(w for term, w in weights.items() if term in self._term_sets[row])
            snippet = make_snippet(passage.text, distinct, self.analyzer, limit=600)
            hits.append(PassageHit(passage.passage_id, passage.title, float(scores[row]), covered / total, snippet))
        return hits

    def _idf(self, term: str) -> float:
        index = self._scorer.vocabulary.get(term)
        if index is None:
            return float(np.log1p((self._scorer.n_passages + 0.5) / 0.5))
        return float(self._scorer.idf[index])
