"""Bank reconciliation: statement lines ↔ open customer and supplier invoices, and line categories.

Usage::

    from etabli.engines.matching import Reconciler, OpenItem, MatchMemory, Categorizer

    memory = MatchMemory().fit(past_pairs)                # [(label, partner), …] or PastMatch
    categorizer = Categorizer.fit(categorised_history)     # [(label, amount, category_code), …]
    results = Reconciler(memory=memory, categorizer=categorizer).reconcile(statement.lines, open_items)
    for result in results:
        print(result.decision, result.explanation, result.best and result.best.reasons, result.category)
"""

from etabli.engines.matching.categorize import (
    CATEGORIES,
    DEFAULT_RULES,
    Categorizer,
    Category,
    CategoryClassifier,
    CategoryRule,
    learn_rules,
)
from etabli.engines.matching.memory import MatchMemory, PartnerHint
from etabli.engines.matching.model import (
    Allocation,
    Candidate,
    CategoryPrediction,
    LineResult,
    MatchingConfig,
    MatchingError,
    OpenItem,
    PastMatch,
    TimeSavings,
)
from etabli.engines.matching.reconcile import Reconciler
from etabli.engines.matching.scoring import ScoringWeights
from etabli.engines.matching.subset import SubsetResult, subset_sums

__all__ = [
    "CATEGORIES",
    "DEFAULT_RULES",
    "Allocation",
    "Candidate",
    "Categorizer",
    "Category",
    "CategoryClassifier",
    "CategoryPrediction",
    "CategoryRule",
    "LineResult",
    "MatchMemory",
    "MatchingConfig",
    "MatchingError",
    "OpenItem",
    "PartnerHint",
    "PastMatch",
    "Reconciler",
    "ScoringWeights",
    "SubsetResult",
    "TimeSavings",
    "learn_rules",
    "subset_sums",
]
