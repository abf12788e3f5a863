"""Sensitive-message detection (who should answer: the assistant or a person) and prompt-injection
tripwire, for the customer and employee assistant. Pure Python; no Django."""

from etabli.engines.escalation.dataset import LabelledMessage, load_messages
from etabli.engines.escalation.detector import (
    DEFAULT_CLASSIFIER_THRESHOLD,
    DEFAULT_CONFIRM_THRESHOLD,
    EscalationDetector,
    EscalationResult,
    detect,
)
from etabli.engines.escalation.errors import EscalationError
from etabli.engines.escalation.injection import InjectionResult, detect_injection
from etabli.engines.escalation.rules import CATEGORY_LABELS, Signal, find_signals, rule_score

__all__ = [
    "CATEGORY_LABELS",
    "DEFAULT_CLASSIFIER_THRESHOLD",
    "DEFAULT_CONFIRM_THRESHOLD",
    "EscalationDetector",
    "EscalationError",
    "EscalationResult",
    "InjectionResult",
    "LabelledMessage",
    "Signal",
    "detect",
    "detect_injection",
    "find_signals",
    "load_messages",
    "rule_score",
]
