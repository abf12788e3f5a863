"""E-mail features: parsing, triage, reply drafts and thread summaries (guide ch. 4.3)."""

from etabli.engines.writing.mail.parse import (
    MAX_EMAIL_CHARS,
    EmailInput,
    ParsedEmail,
    build_raw_email,
    from_fields,
    parse_email,
)
from etabli.engines.writing.mail.replies import (
    INTENTS,
    RepliesResult,
    ReplyDraft,
    detect_intent,
    draft_replies,
)
from etabli.engines.writing.mail.summary import (
    Action,
    ThreadMessage,
    ThreadSummary,
    split_thread,
    summarize_thread,
)
from etabli.engines.writing.mail.triage import (
    LABEL_DEFINITIONS,
    LABELS,
    LABELS_FR,
    RuleTriager,
    TriageResult,
    triage_email,
    triage_many,
)

__all__ = [
    "INTENTS", "LABELS", "LABELS_FR", "LABEL_DEFINITIONS", "MAX_EMAIL_CHARS",
    "Action", "EmailInput", "ParsedEmail", "RepliesResult", "ReplyDraft", "RuleTriager", "ThreadMessage",
    "ThreadSummary", "TriageResult",
    "build_raw_email", "detect_intent", "draft_replies", "from_fields", "parse_email", "split_thread",
    "summarize_thread", "triage_email", "triage_many",
]
