"""French retrieval for the assistant: analyser, BM25 index, FAQ router, passage index, chunker, order-lookup
keys.

Pure Python (numpy, scipy, scikit-learn, snowballstemmer); no Django. See each module for the why.
"""

from etabli.engines.search.analyzer import FrenchAnalyzer, fold_accents, normalize, stem_word, strip_elisions
from etabli.engines.search.bm25 import BM25Index, BM25Scorer, Document, Hit
from etabli.engines.search.chunker import Chunk, chunk_document
from etabli.engines.search.errors import SearchError
from etabli.engines.search.lookup import (
    LookupKeys,
    extract_email,
    extract_lookup_keys,
    extract_order_number,
    extract_postcode,
    is_french_postcode,
)
from etabli.engines.search.passages import Passage, PassageHit, PassageIndex
from etabli.engines.search.router import (
    Candidate,
    Embedder,
    FaqEntry,
    IntentRouter,
    RouterThresholds,
    RoutingResult,
)

__all__ = [
    "BM25Index",
    "BM25Scorer",
    "Candidate",
    "Chunk",
    "Document",
    "Embedder",
    "FaqEntry",
    "FrenchAnalyzer",
    "Hit",
    "IntentRouter",
    "LookupKeys",
    "Passage",
    "PassageHit",
    "PassageIndex",
    "RouterThresholds",
    "RoutingResult",
    "SearchError",
    "chunk_document",
    "extract_email",
    "extract_lookup_keys",
    "extract_order_number",
    "extract_postcode",
    "fold_accents",
    "is_french_postcode",
    "normalize",
    "stem_word",
    "strip_elisions",
]
