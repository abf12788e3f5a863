"""Reads of the assistant: knowledge base, inbox, a visitor's conversation, and the measures of the dashboard."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from etabli.assistant.answering import category_label
from etabli.assistant.constants import ACTIONS
from etabli.assistant.models import (
    AssistantProfile,
    Audience,
    Conversation,
    ConversationStatus,
    KnowledgeDocument,
    KnowledgeEntry,
    Message,
    Sender,
    Suggestion,
    SuggestionStatus,
)
from etabli.core.models import Company, TimeSaved


def entries(*, company: Company, audience: str = "", kind: str = "", query: str = "") -> QuerySet[KnowledgeEntry]:
    qs = KnowledgeEntry.objects.for_company(company)
    if audience:
        qs = qs.filter(audience=audience)
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(answer__icontains=query))
    return qs.order_by("audience", "kind", "title")


def documents(*, company: Company, audience: str = "") -> QuerySet[KnowledgeDocument]:
    qs = KnowledgeDocument.objects.for_company(company).annotate(n_chunks=Count("chunks"))
    return qs.filter(audience=audience) if audience else qs


def open_suggestions(*, company: Company, audience: str = "") -> QuerySet[Suggestion]:
    qs = Suggestion.objects.for_company(company).filter(status=SuggestionStatus.OPEN)
    return qs.filter(audience=audience) if audience else qs


def inbox(*, company: Company, status: str = "", audience: str = "") -> QuerySet[Conversation]:
    """Conversations waiting for a person first, then those a person handles, then the others."""
    first_question = Message.objects.filter(conversation=OuterRef("pk"), sender=Sender.CUSTOMER).order_by("id")
    qs = Conversation.objects.for_company(company).select_related("taken_over_by", "user").annotate(
        first_question=Subquery(first_question.values("text")[:1]))
    if status == "attente":
        qs = qs.filter(status__in=[ConversationStatus.WAITING, ConversationStatus.HUMAN])
    elif status in ConversationStatus.values:
        qs = qs.filter(status=status)
    if audience:
        qs = qs.filter(audience=audience)
    return qs.order_by("-escalated_at", "-last_message_at") if status == "attente" else qs.order_by("-last_message_at")


def waiting_count(*, company: Company) -> int:
    return Conversation.objects.for_company(company).filter(status=ConversationStatus.WAITING).count()


def conversation_for_visitor(*, profile: AssistantProfile, public_id, token: str) -> Conversation | None:
    """A visitor reaches a conversation only with its id *and* its secret token, and only on its company."""
    try:
        conv = Conversation.objects.select_related("company").filter(
            company_id=profile.company_id, public_id=public_id
        ).exclude(channel="interne").first()
    except (ValueError, TypeError):  # not a UUID
        return None
    if conv is None or not conv.token_matches(token):
        return None
    return conv


def messages_after(*, conversation: Conversation, after_id: int = 0) -> list[Message]:
    return list(conversation.messages.filter(id__gt=after_id).select_related("author").order_by("id")[:200])


def latest_internal_conversation(*, company: Company, user) -> Conversation | None:
    return Conversation.objects.for_company(company).filter(user=user, channel="interne").exclude(
        status=ConversationStatus.CLOSED).order_by("-last_message_at").first()


# ========================================================================================================= measures


@dataclass
class Stats:
    days: int
    questions: int = 0
    answered_without_human: int = 0
    offered_human: int = 0
    clarified: int = 0
    escalated: int = 0
    conversations: int = 0
    conversations_without_human: int = 0
    median_response_ms: float | None = None
    median_takeover_minutes: float | None = None
    escalations_by_reason: list[tuple[str, str, int]] = field(default_factory=list)
    thumbs_up: int = 0
    thumbs_down: int = 0
    minutes_saved: Decimal = Decimal(0)
    value_saved: Decimal = Decimal(0)
    open_suggestions: int = 0
    waiting: int = 0
    daily: dict = field(default_factory=dict)
    by_audience: dict = field(default_factory=dict)

    @property
    def answered_share(self) -> float | None:
        """Share of the visitors' questions answered without a person (answered or answered with a human offer)."""
        return self.answered_without_human / self.questions if self.questions else None

    @property
    def conversations_without_human_share(self) -> float | None:
        return self.conversations_without_human / self.conversations if self.conversations else None

    @property
    def satisfaction(self) -> float | None:
        total = self.thumbs_up + self.thumbs_down
        return self.thumbs_up / total if total else None

    @property
    def hours_saved(self) -> Decimal:
        return (self.minutes_saved / 60).quantize(Decimal("0.1"))

    def as_dict(self) -> dict:
        return {
            "days": self.days, "questions": self.questions, "answered_without_human": self.answered_without_human,
            "answered_share": self.answered_share, "offered_human": self.offered_human, "clarified": self.clarified,
            "escalated": self.escalated, "conversations": self.conversations,
            "conversations_without_human_share": self.conversations_without_human_share,
            "median_response_ms": self.median_response_ms, "median_takeover_minutes": self.median_takeover_minutes,
            "escalations_by_reason": [{"reason": r, "label": label, "count": n}
                                      for r, label, n in self.escalations_by_reason],
            "satisfaction": self.satisfaction, "thumbs_up": self.thumbs_up, "thumbs_down": self.thumbs_down,
            "hours_saved": str(self.hours_saved), "value_saved": str(self.value_saved),
            "open_suggestions": self.open_suggestions, "waiting": self.waiting, "by_audience": self.by_audience,
        }


ANSWERED_KINDS = ("faq", "document", "status")
ANSWERED_ROUTES = ("answered", "answered_offer_human")  # answered without a person (a person may be offered)


def stats(*, company: Company, days: int = 30, now: dt.datetime | None = None) -> Stats:
    """The measures of the guide (ch. 5.1: 68 % answered without a person) over the last `days` days."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    result = Stats(days=days)
    replies = Message.objects.for_company(company).filter(
        sender=Sender.ASSISTANT, created_at__gte=since, created_at__lte=now
    ).exclude(route="").select_related("conversation")
    response_times: list[int] = []
    per_audience: dict[str, Counter] = {a: Counter() for a in Audience.values}
    daily: dict[str, Counter] = {}
    for message in replies.only("route", "kind", "response_ms", "feedback", "created_at", "conversation__audience"):
        audience = message.conversation.audience
        answered = message.route in ANSWERED_ROUTES and message.kind in ANSWERED_KINDS
        result.questions += 1
        per_audience[audience]["questions"] += 1
        day = timezone.localtime(message.created_at).date().isoformat()
        daily.setdefault(day, Counter())
        if answered:
            result.answered_without_human += 1
            per_audience[audience]["answered"] += 1
            daily[day]["answered"] += 1
        elif message.route == "escalated":
            daily[day]["escalated"] += 1
        else:
            daily[day]["other"] += 1
        if message.route == "answered_offer_human":
            result.offered_human += 1
        elif message.route == "clarify":
            result.clarified += 1
        elif message.route == "escalated":
            result.escalated += 1
        if message.response_ms is not None:
            response_times.append(message.response_ms)
        if message.feedback == 1:
            result.thumbs_up += 1
        elif message.feedback == -1:
            result.thumbs_down += 1
    if response_times:
        result.median_response_ms = float(statistics.median(response_times))
    conversations = Conversation.objects.for_company(company).filter(started_at__gte=since, started_at__lte=now,
                                                                    customer_messages__gt=0)
    result.conversations = conversations.count()
    result.conversations_without_human = conversations.filter(escalated_at__isnull=True).count()
    reasons: Counter = Counter()
    takeovers: list[float] = []
    for conv in Conversation.objects.for_company(company).filter(escalated_at__gte=since, escalated_at__lte=now).only(
            "escalation_reasons", "escalated_at", "taken_over_at"):
        reasons.update(conv.escalation_reasons or [])
        if conv.taken_over_at and conv.taken_over_at >= conv.escalated_at:
            takeovers.append((conv.taken_over_at - conv.escalated_at).total_seconds() / 60)
    result.escalations_by_reason = [(r, category_label(r), n) for r, n in reasons.most_common()]
    if takeovers:
        result.median_takeover_minutes = float(statistics.median(takeovers))
    minutes = TimeSaved.objects.for_company(company).filter(
        action__in=ACTIONS,
        occurred_at__gte=since, occurred_at__lte=now,
    ).aggregate(total=Sum("minutes"))["total"] or Decimal(0)
    result.minutes_saved = minutes
    result.value_saved = (minutes / 60 * company.hourly_cost).quantize(Decimal("0.01"))
    result.open_suggestions = open_suggestions(company=company).count()
    result.waiting = waiting_count(company=company)
    result.daily = {day: dict(counter) for day, counter in sorted(daily.items())}
    result.by_audience = {a: dict(c) for a, c in per_audience.items()}
    return result


@dataclass(frozen=True)
class HomeSummary:
    questions: int
    answered_without_human: int
    waiting: int

    @property
    def answered_share(self) -> float | None:
        return self.answered_without_human / self.questions if self.questions else None


def home_summary(*, company: Company, days: int = 7, now: dt.datetime | None = None) -> HomeSummary:
    """The three numbers of the home card, counted by the database with the same definitions as `stats()`.

    Why not `stats()`: it walks every reply of the period to build the dashboard (per day, per audience,
    response times); the home page, shown on every visit, needs two counts and the waiting queue.
    """
    now = now or timezone.now()
    answered = Q(route__in=ANSWERED_ROUTES, kind__in=ANSWERED_KINDS)
    counts = (
        Message.objects.for_company(company)
        .filter(sender=Sender.ASSISTANT, created_at__gte=now - dt.timedelta(days=days), created_at__lte=now)
        .exclude(route="")
        .aggregate(questions=Count("id"), answered=Count("id", filter=answered))
    )
    return HomeSummary(questions=counts["questions"], answered_without_human=counts["answered"],
                       waiting=waiting_count(company=company))


def chart_data(result: Stats) -> dict:
    """Chart.js data (stacked bars per day) for the dashboard."""
    labels = list(result.daily)
    return {
        "labels": [dt.date.fromisoformat(day).strftime("%d/%m") for day in labels],
        "datasets": [
            {"label": "Répondu sans personne", "data": [result.daily[d].get("answered", 0) for d in labels],
             "backgroundColor": "#2e7d32"},
            {"label": "Clarification", "data": [result.daily[d].get("other", 0) for d in labels],
             "backgroundColor": "#9e9e9e"},
            {"label": "Transmis à l'équipe", "data": [result.daily[d].get("escalated", 0) for d in labels],
             "backgroundColor": "#c62828"},
        ],
    }
