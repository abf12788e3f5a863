"""Okapi BM25 on a scipy sparse matrix, and a small mutable index of documents with fields.

Why our own ~150 lines rather than a package: `rank-bm25` scores in pure-Python loops and has not been
maintained for years; `bm25s` is fast but batch-oriented (no add/remove of single documents) and brings
its own tokeniser. A knowledge base of a TPE has a few hundred to a few thousand passages that the owner
edits one at a time; a precomputed sparse matrix of BM25 term weights (one sparse product per query) is
both short and fast, and it lets the analyser stay the French one of this package.

Scoring (Robertson/Lucene variant): idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)), always positive, and
w(d, t) = idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·|d| / avgdl)).
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from etabli.engines.search.analyzer import FrenchAnalyzer
from etabli.engines.search.errors import SearchError

SNIPPET_CHARS = 240
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")


class BM25Scorer:
    """BM25 over a fixed list of analysed passages (lists of terms); immutable once fitted."""

    def __init__(self, *, k1: float = 1.2, b: float = 0.75) -> None:
        if k1 < 0 or not 0 <= b <= 1:
            raise SearchError("Paramètres BM25 invalides : k1 doit être positif et b compris entre 0 et 1.")
        self.k1 = k1
        self.b = b
        self.vocabulary: dict[str, int] = {}
        self.idf = np.zeros(0)
        self.avgdl = 0.0
        self.n_passages = 0
        self._weights = sparse.csc_matrix((0, 0))

    def fit(self, passages: Sequence[Sequence[str]]) -> BM25Scorer:
        """Build the term-weight matrix; an empty list gives a scorer that scores nothing."""
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        counts: list[float] = []
        lengths = np.zeros(len(passages))
        for row, terms in enumerate(passages):
            lengths[row] = len(terms)
            for term, count in Counter(terms).items():
                rows.append(row)
                cols.append(vocabulary.setdefault(term, len(vocabulary)))
                counts.append(count)
        n_passages = len(passages)
        tf = sparse.csr_matrix((counts, (rows, cols)), shape=(n_passages, len(vocabulary)), dtype=float)
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(vocabulary)).astype(float)
        self.idf = np.log1p((n_passages - df + 0.5) / (df + 0.5))
        self.avgdl = float(lengths.mean()) if n_passages and lengths.sum() else 1.0
        self.vocabulary = vocabulary
        self.n_passages = n_passages
        self._weights = self._term_weights(tf, lengths).tocsc()
        return self

    def _term_weights(self, tf: sparse.csr_matrix, lengths: np.ndarray) -> sparse.csr_matrix:
        norm = self.k1 * (1 - self.b + self.b * lengths / self.avgdl)
        weights = tf.copy()
        row_of_value = np.repeat(np.arange(tf.shape[0]), np.diff(tf.indptr))
        values = tf.data
        weights.data = self.idf[tf.indices] * values * (self.k1 + 1) / (values + norm[row_of_value])
        return weights

    def score(self, terms: Iterable[str]) -> np.ndarray:
        """BM25 score of every passage for the query terms (each distinct term counted once)."""
        columns = sorted({self.vocabulary[t] for t in terms if t in self.vocabulary})
        if not columns or not self.n_passages:
            return np.zeros(self.n_passages)
        return np.asarray(self._weights[:, columns].sum(axis=1)).ravel()

    def ideal_score(self, terms: Iterable[str]) -> float:
        """Score the query would get against a passage made of exactly its own words.

        Why: raw BM25 has no upper bound, so to compare questions we divide by this. Words the index
        has never seen count with the highest idf: a question full of unknown words is far from the KB,
        and its normalised score should say so.
        """
        distinct = set(terms)
        if not distinct:
            return 0.0
        unseen_idf = float(np.log1p((self.n_passages + 0.5) / 0.5))
        norm = self.k1 * (1 - self.b + self.b * len(distinct) / max(self.avgdl, 1e-9))
        per_term = (self.k1 + 1) / (1 + norm)
        idf_sum = sum(
            float(self.idf[self.vocabulary[t]]) if t in self.vocabulary else unseen_idf for t in distinct
        )
        return idf_sum * per_term


@dataclass(frozen=True)
class Document:
    """A document of the index; a field holds one text or several (e.g. the variants of a question)."""

    doc_id: str
    fields: Mapping[str, str | Sequence[str]]


@dataclass(frozen=True)
class Hit:
    """A search result: the document, its score, the field that matched best and an extract of it."""

    doc_id: str
    score: float
    field: str
    snippet: str


@dataclass(frozen=True)
class _Passage:
    doc_id: str
    field: str
    text: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class _Snapshot:
    """What a search reads: built once after changes, never mutated, so searches need no lock."""

    scorer: BM25Scorer
    passages: tuple[_Passage, ...]
    boosts: np.ndarray


class BM25Index:
    """In-memory BM25 index of documents with fields, with add/remove of single documents.

    Each text of each field is a passage; a document's score is that of its best passage times the
    field's weight (`field_weights`, 1.0 for fields not listed). Thread-safe: changes take a lock and the
    sparse matrix is rebuilt lazily at the next search.
    """

    def __init__(
        self,
        *,
        analyzer: FrenchAnalyzer | None = None,
        field_weights: Mapping[str, float] | None = None,
        k1: float = 1.2,
        b: float = 0.75,
    ) -> None:
        self.analyzer = analyzer or FrenchAnalyzer()
        self.field_weights = dict(field_weights or {})
        if any(weight < 0 for weight in self.field_weights.values()):
            raise SearchError("Le poids d'un champ ne peut pas être négatif.")
        BM25Scorer(k1=k1, b=b)  # validates the parameters now rather than at the first search
        self._k1, self._b = k1, b
        self._documents: dict[str, list[_Passage]] = {}
        self._lock = threading.Lock()
        self._snapshot: _Snapshot | None = None

    def __len__(self) -> int:
        return len(self._documents)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._documents

    def add(self, document: Document) -> None:
        """Add a document, or replace the one with the same id (an edited FAQ entry is re-added)."""
        passages = self._passages_of(document)
        with self._lock:
            self._documents[document.doc_id] = passages
            self._snapshot = None

    def add_many(self, documents: Iterable[Document]) -> None:
        """Add several documents with a single rebuild."""
        prepared = [(document.doc_id, self._passages_of(document)) for document in documents]
        with self._lock:
            self._documents.update(prepared)
            self._snapshot = None

    def remove(self, doc_id: str) -> None:
        """Remove a document; an unknown id is an error (it usually means a stale id in the caller)."""
        with self._lock:
            if doc_id not in self._documents:
                raise SearchError(f"Document inconnu de l'index : « {doc_id} ».")
            del self._documents[doc_id]
            self._snapshot = None

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """The `k` best documents for the query, best first; documents sharing no term are left out."""
        if not isinstance(query, str) or not query.strip():
            raise SearchError("La recherche est vide : saisissez quelques mots.")
        if k < 1:
            raise SearchError("Le nombre de résultats demandés doit être au moins 1.")
        snapshot = self._current_snapshot()
        terms = self.analyzer.analyze_query(query)
        scores = snapshot.scorer.score(terms) * snapshot.boosts
        hits: list[Hit] = []
        seen: set[str] = set()
        for row in np.argsort(-scores, kind="stable"):
            if scores[row] <= 0 or len(hits) == k:
                break
            passage = snapshot.passages[row]
            if passage.doc_id in seen:
                continue
            seen.add(passage.doc_id)
            snippet = make_snippet(passage.text, set(terms), self.analyzer)
            hits.append(Hit(passage.doc_id, float(scores[row]), passage.field, snippet))
        return hits

    def _passages_of(self, document: Document) -> list[_Passage]:
        if not isinstance(document.doc_id, str) or not document.doc_id:
            raise SearchError("Chaque document doit avoir un identifiant non vide.")
        passages = []
        for field_name, value in document.fields.items():
            texts = [value] if isinstance(value, str) else list(value)
            for text in texts:
                if not isinstance(text, str):
                    raise SearchError(f"Le champ « {field_name} » doit contenir du texte.")
                if text.strip():
                    terms = tuple(self.analyzer.analyze(text))
                    passages.append(_Passage(document.doc_id, field_name, text, terms))
        return passages

    def _current_snapshot(self) -> _Snapshot:
        snapshot = self._snapshot
        if snapshot is not None:
            return snapshot
        with self._lock:
            if self._snapshot is None:
                passages = tuple(p for doc in self._documents.values() for p in doc)
                scorer = BM25Scorer(k1=self._k1, b=self._b).fit([p.terms for p in passages])
                boosts = np.array([self.field_weights.get(p.field, 1.0) for p in passages], dtype=float)
                self._snapshot = _Snapshot(scorer, passages, boosts)
            return self._snapshot


def make_snippet(
    text: str, query_terms: set[str], analyzer: FrenchAnalyzer, limit: int = SNIPPET_CHARS
) -> str:
    """The sentence of `text` sharing most terms with the query, cut to `limit` characters."""
    compact = " ".join(text.split())
    if len(compact) <= limit:
        return compact
    sentences = [s.strip() for s in _SENTENCE.split(text) if s.strip()]
    best = max(sentences, key=lambda s: len(query_terms.intersection(analyzer.analyze(s))), default=compact)
    best = " ".join(best.split())
    return best if len(best) <= limit else best[: limit - 1].rstrip() + "…"
