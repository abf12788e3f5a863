"""The LLM engine: one entry point for every feature that writes text.

Why a layer above providers: budget, logging, grounding and the template fallback are the same for
posts, product descriptions, e-mail replies, summaries and dunning letters. Features call ``compose``
with a prompt, their facts and their template; the engine decides, and says why, which text to offer.

``compose`` never raises because a model is down, slow, over budget or unfaithful to the facts: it
returns the template text with a French ``fallback_reason``. Errors in the feature's own inputs or
template still raise — those are bugs to fix, not conditions to hide.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from etabli.engines.llm.base import DEFAULT_MAX_TOKENS, DEFAULT_TEMPERATURE, Provider, normalise_conversation
from etabli.engines.llm.budget import Budget, BudgetStatus, Pricing, Spend, budget_status, would_exceed
from etabli.engines.llm.datatypes import (
    CallRecord,
    CancelToken,
    Completion,
    Message,
    MessageLike,
    prompt_digest,
    prompt_messages,
    to_messages,
)
from etabli.engines.llm.errors import (
    BudgetExceeded,
    GenerationCancelled,
    LLMError,
    ProviderTimeout,
    TemplateOnly,
)
from etabli.engines.llm.guard import GroundingReport, Voice, check_grounding, draft_label
from etabli.engines.llm.schema import check_schema

TEMPLATE_SUFFIX = " Le brouillon proposé vient du modèle de texte."


class UngroundedDraft(LLMError):
    """Raised by ``compose`` only when ``fallback_to_template=False`` and the draft cites unknown facts."""

    def __init__(self, message: str, report: GroundingReport, draft: str) -> None:
        super().__init__(message)
        self.report = report
        self.draft = draft


@dataclass(frozen=True)
class Composition:
    """A draft offered to a person, with where it came from and why.

    ``text`` is what to show in the editor. When the model's draft was rejected, ``rejected_draft``
    keeps it (for the "voir la proposition de l'IA" detail, always next to ``grounding.mismatches``)
    but it is never ``text``. ``label`` must stay visible until a person edits or approves the draft.
    """

    text: str
    used_provider: str
    model: str
    generated_by_ai: bool
    fallback_reason: str | None
    grounding: GroundingReport
    label: str
    feature: str = ""
    json: dict[str, Any] | None = None
    rejected_draft: str | None = None
    budget_warning: bool = False
    prompt_digest: str = ""
    latency_ms: float = 0.0
    needs_review: bool = True

    def provenance(self) -> dict[str, Any]:
        """Machine-readable marking of generated content (AI Act art. 50(2)), to store or embed with it."""
        return {
            "generateur": "etabli",
            "genere_par_ia": self.generated_by_ai,
            "fournisseur": self.used_provider,
            "modele": self.model,
            "fonction": self.feature,
            "empreinte_consigne": self.prompt_digest,
            "mention": self.label,
            "relu_par_humain": not self.needs_review,
        }


@dataclass
class _Attempt:
    """What one provider call cost, for the CallRecord and the budget."""

    kind: str
    feature: str
    digest: str
    started: float = field(default_factory=time.perf_counter)
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def latency_ms(self) -> float:
        return (time.perf_counter() - self.started) * 1000.0


class LLMEngine:
    """Budget-aware, logged access to a provider, with a grounded ``compose`` for features.

    ``on_call`` receives one ``CallRecord`` per call (the app writes it to the AI decision log); if it
    raises, the error propagates — a decision that cannot be logged must not pass silently.
    """

    def __init__(
        self,
        provider: Provider,
        *,
        budget: Budget | None = None,
        on_call: Callable[[CallRecord], None] | None = None,
        fallback_to_template: bool = True,
        pricing: Pricing | None = None,
        timeout: float | None = None,
    ) -> None:
        self.provider = provider
        self.budget = budget
        self.on_call = on_call
        self.fallback_to_template = fallback_to_template
        self.pricing = pricing or Pricing()
        self.timeout = timeout
        self.last_budget_status: BudgetStatus | None = None

    # -- state ---------------------------------------------------------------------------------------
    @property
    def uses_template_only(self) -> bool:
        return self.provider.name == "template"

    def budget_status(self) -> BudgetStatus | None:
        """This month's budget status (None without a budget); ``warning`` is the 80 % flag."""
        return budget_status(self.budget) if self.budget is not None else None

    @property
    def budget_warning(self) -> bool:
        status = self.budget_status()
        return bool(status and status.warning)

    # -- plain calls ---------------------------------------------------------------------------------
    def generate(
        self,
        prompt: str,
        *,
        system: str | None = None,
        feature: str = "generation",
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float = DEFAULT_TEMPERATURE,
        stop: str | Sequence[str] | None = None,
        json_schema: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> Completion:
        """Logged, budgeted ``provider.generate``; provider errors are raised (no template here)."""
        messages = prompt_messages(prompt, system)
        return self._call(
            "generate",
            feature,
            messages,
            max_tokens,
            lambda: self.provider.generate(
                prompt,
                system=system,
                max_tokens=max_tokens,
                temperature=temperature,
                stop=stop,
                json_schema=json_schema,
                timeout=timeout or self.timeout,
                cancel=cancel,
            ),
        )

    def chat(
        self,
        messages: Iterable[MessageLike],
        *,
        feature: str = "conversation",
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float = DEFAULT_TEMPERATURE,
        stop: str | Sequence[str] | None = None,
        json_schema: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> Completion:
        conversation = to_messages(messages)
        return self._call(
            "chat",
            feature,
            conversation,
            max_tokens,
            lambda: self.provider.chat(
                conversation,
                max_tokens=max_tokens,
                temperature=temperature,
                stop=stop,
                json_schema=json_schema,
                timeout=timeout or self.timeout,
                cancel=cancel,
            ),
        )

    def structured(
        self,
        prompt: str,
        schema: Mapping[str, Any],
        *,
        system: str | None = None,
        feature: str = "donnees-structurees",
        max_tokens: int = 512,
        temperature: float = 0.0,
        timeout: float | None = None,
    ) -> Completion:
        """JSON validated against ``schema``: the parsed object is in ``Completion.json``."""
        checked = check_schema(schema)
        messages = prompt_messages(prompt, system)
        return self._call(
            "structured",
            feature,
            messages,
            max_tokens,
            lambda: self.provider.generate(
                prompt,
                system=system,
                max_tokens=max_tokens,
                temperature=temperature,
                json_schema=checked,
                timeout=timeout or self.timeout,
            ),
        )

    def stream(
        self,
        prompt_or_messages: str | Iterable[MessageLike],
        *,
        system: str | None = None,
        feature: str = "generation",
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float = DEFAULT_TEMPERATURE,
        stop: str | Sequence[str] | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> Iterator[str]:
        """Chunks of text as they come; the CallRecord is emitted when the stream ends or is closed.

        The budget is checked now (eagerly): an over-budget stream raises ``BudgetExceeded`` at once.
        """
        messages = normalise_conversation(prompt_or_messages, system)
        attempt = _Attempt("stream", feature, prompt_digest(messages))
        self._check_budget(attempt, messages, max_tokens)
        try:
            inner = self.provider.stream(
                messages,
                max_tokens=max_tokens,
                temperature=temperature,
                stop=stop,
                timeout=timeout or self.timeout,
                cancel=cancel,
            )
        except Exception as exc:
            self._emit(attempt, ok=False, error=_describe(exc))
            raise
        return self._recorded_stream(inner, attempt, messages, cancel)

    def _recorded_stream(
        self, inner: Iterator[str], attempt: _Attempt, messages: list[Message], cancel: CancelToken | None
    ) -> Iterator[str]:
        parts: list[str] = []
        error: str | None = None
        finished = False
        try:
            for chunk in inner:
                parts.append(chunk)
                yield chunk
            finished = True
        except Exception as exc:
            error = _describe(exc)
            raise
        finally:
            close = getattr(inner, "close", None)
            if close is not None:
                close()
            if error is None and (not finished or (cancel is not None and cancel.cancelled)):
                error = "Génération arrêtée avant la fin (annulation)."
            attempt.prompt_tokens = sum(self.provider.count_tokens(m.content) for m in messages)
            attempt.completion_tokens = self.provider.count_tokens("".join(parts))
            failed = error is not None and not error.startswith("Génération arrêtée")
            self._spend(attempt)
            self._emit(attempt, ok=not failed, error=error)

    # -- compose: the features' entry point ----------------------------------------------------------
    def compose(
        self,
        feature: str,
        *,
        prompt: str,
        system: str | None = None,
        template: Callable[[], str | Mapping[str, Any]],
        facts: str | Mapping[str, Any] | Iterable[Any],
        schema: Mapping[str, Any] | None = None,
        voice: Voice | None = None,
        max_tokens: int = 512,
        temperature: float = DEFAULT_TEMPERATURE,
        timeout: float | None = None,
    ) -> Composition:
        """Draft with the model when it can be trusted, else the feature's template — and say why.

        The model's output is checked against ``facts`` plus the prompt and system text (they were
        written by the feature from the company's data): any number, amount, date or name not found
        there rejects the draft. With ``voice``, its system prompt is prepended and its words to avoid
        are enforced. With ``schema``, the model must return valid JSON (``Composition.json``); the
        template may then return a mapping.
        """
        if not isinstance(feature, str) or not feature.strip():
            raise LLMError("Le nom de la fonction (feature) est obligatoire pour tracer l'appel.")
        if not callable(template):
            raise LLMError("Le modèle de texte (template) doit être une fonction sans argument.")
        if voice is not None:
            system = voice.system_prompt(extra=system)
        messages = prompt_messages(prompt, system)
        attempt = _Attempt("compose", feature, prompt_digest(messages))
        checked_schema = check_schema(schema) if schema is not None else None

        if self.uses_template_only:
            self._emit(attempt, ok=True, error=None, used_template=True)
            return self._template_composition(feature, template, None, attempt)

        try:
            self._check_budget(attempt, messages, max_tokens)
            completion = self.provider.generate(
                prompt,
                system=system,
                max_tokens=max_tokens,
                temperature=temperature,
                json_schema=checked_schema,
                timeout=timeout or self.timeout,
            )
        except (BudgetExceeded, TemplateOnly) as exc:
            return self._fallback(feature, template, attempt, exc, record=not isinstance(exc, BudgetExceeded))
        except GenerationCancelled:
            self._emit(attempt, ok=False, error="Génération annulée à la demande de l'utilisateur.")
            raise
        except LLMError as exc:
            return self._fallback(feature, template, attempt, exc, record=True)
        except Exception as exc:  # a bug, not a condition: log it and let it surface
            self._emit(attempt, ok=False, error=_describe(exc))
            raise

        attempt.prompt_tokens, attempt.completion_tokens = (
            completion.prompt_tokens,
            completion.completion_tokens,
        )
        self._spend(attempt)
        draft = _draft_text(completion)
        sources = [facts, prompt, system or ""]
        report = check_grounding(_grounding_text(completion, draft), sources)
        rejection = self._rejection(draft, report, voice)
        if rejection is not None:
            self._emit(attempt, ok=False, error=rejection, used_template=True, model=completion.model)
            if not self.fallback_to_template:
                raise UngroundedDraft(rejection, report, draft)
            return self._template_composition(
                feature,
                template,
                rejection + TEMPLATE_SUFFIX,
                attempt,
                grounding=report,
                rejected_draft=draft,
            )
        self._emit(attempt, ok=True, error=None, model=completion.model)
        return Composition(
            text=draft,
            used_provider=completion.provider,
            model=completion.model,
            generated_by_ai=True,
            fallback_reason=None,
            grounding=report,
            label=draft_label(True),
            feature=feature,
            json=completion.json,
            budget_warning=self._warning(),
            prompt_digest=attempt.digest,
            latency_ms=attempt.latency_ms,
        )

    def _rejection(self, draft: str, report: GroundingReport, voice: Voice | None) -> str | None:
        """Why the model's draft cannot be offered as-is (French), or None when it can."""
        if not draft.strip():
            return "Le modèle a renvoyé un texte vide."
        if not report.ok:
            return (
                "Le brouillon de l'IA cite des éléments absents de vos données, "
                "il n'est pas proposé tel quel : " + "; ".join(m.message_fr for m in report.mismatches[:5])
            )
        avoided = voice.avoided_words_in(draft) if voice is not None else []
        if avoided:
            return (
                "Le brouillon de l'IA emploie des mots à éviter : "
                + ", ".join(f"« {w} »" for w in avoided)
                + "."
            )
        return None

    def _fallback(
        self, feature: str, template: Callable[[], Any], attempt: _Attempt, exc: LLMError, *, record: bool
    ) -> Composition:
        reason = _fallback_reason(exc)
        if record:
            self._emit(
                attempt,
                ok=isinstance(exc, TemplateOnly),
                error=None if isinstance(exc, TemplateOnly) else str(exc),
                used_template=True,
            )
        if not self.fallback_to_template and not isinstance(exc, TemplateOnly):
            raise exc
        return self._template_composition(feature, template, reason, attempt)

    def _template_composition(
        self,
        feature: str,
        template: Callable[[], str | Mapping[str, Any]],
        reason: str | None,
        attempt: _Attempt,
        *,
        grounding: GroundingReport | None = None,
        rejected_draft: str | None = None,
    ) -> Composition:
        from etabli.engines.llm.template import NO_MODEL_REASON

        produced = template()
        if isinstance(produced, Mapping):
            data: dict[str, Any] | None = dict(produced)
            text = json.dumps(data, ensure_ascii=False, indent=2)
        elif isinstance(produced, str):
            data, text = None, produced
        else:
            raise LLMError("Le modèle de texte doit renvoyer un texte ou un dictionnaire.")
        if not text.strip():
            raise LLMError(f"Le modèle de texte de « {feature} » n'a rien produit.")
        return Composition(
            text=text,
            used_provider="template",
            model="modele-de-texte",
            generated_by_ai=False,
            fallback_reason=reason if reason is not None else NO_MODEL_REASON,
            grounding=grounding
            if grounding is not None
            else GroundingReport(ok=True, mismatches=[], checked=0),
            label=draft_label(False),
            feature=feature,
            json=data,
            rejected_draft=rejected_draft,
            budget_warning=self._warning(),
            prompt_digest=attempt.digest,
            latency_ms=attempt.latency_ms,
        )

    # -- plumbing ------------------------------------------------------------------------------------
    def _call(
        self,
        kind: str,
        feature: str,
        messages: list[Message],
        max_tokens: int,
        call: Callable[[], Completion],
    ) -> Completion:
        attempt = _Attempt(kind, feature, prompt_digest(messages))
        self._check_budget(attempt, messages, max_tokens)
        try:
            completion = call()
        except Exception as exc:
            self._emit(attempt, ok=False, error=_describe(exc))
            raise
        attempt.prompt_tokens, attempt.completion_tokens = (
            completion.prompt_tokens,
            completion.completion_tokens,
        )
        self._spend(attempt)
        self._emit(attempt, ok=True, error=None, model=completion.model)
        return completion

    def _check_budget(self, attempt: _Attempt, messages: list[Message], max_tokens: int) -> None:
        """Refuse a call that could cross the hard cap (prompt estimate + the full ``max_tokens``).

        Counting the whole ``max_tokens`` makes the cap hard: no call can end above it.
        """
        if self.budget is None:
            return
        prompt_tokens = sum(self.provider.count_tokens(m.content) for m in messages)
        projected = Spend(prompt_tokens + max_tokens, self.pricing.cost(prompt_tokens, max_tokens))
        if would_exceed(self.budget, projected):
            status = budget_status(self.budget)
            self.last_budget_status = status
            message = (
                status.message_fr
                if status.exceeded
                else (
                    f"Budget IA mensuel insuffisant pour cette demande (environ {projected.tokens} jetons "
                    f"nécessaires). {status.message_fr}"
                )
            )
            error = BudgetExceeded(message)
            self._emit(attempt, ok=False, error=str(error), used_template=True)
            raise error

    def _spend(self, attempt: _Attempt) -> None:
        if self.budget is None:
            return
        cost = self.pricing.cost(attempt.prompt_tokens, attempt.completion_tokens)
        self.budget.record(attempt.prompt_tokens + attempt.completion_tokens, cost)
        self.last_budget_status = budget_status(self.budget)

    def _warning(self) -> bool:
        return bool(self.last_budget_status and self.last_budget_status.warning) if self.budget else False

    def _emit(
        self,
        attempt: _Attempt,
        *,
        ok: bool,
        error: str | None,
        used_template: bool = False,
        model: str | None = None,
    ) -> None:
        if self.on_call is None:
            return
        record = CallRecord(
            provider=self.provider.name,
            model=model or self.provider.model,
            feature=attempt.feature,
            prompt_digest=attempt.digest,
            prompt_tokens=attempt.prompt_tokens,
            completion_tokens=attempt.completion_tokens,
            latency_ms=attempt.latency_ms,
            ok=ok,
            error=error,
            kind=attempt.kind,
            cost=self.pricing.cost(attempt.prompt_tokens, attempt.completion_tokens),
            used_template=used_template,
            budget_warning=self._warning(),
        )
        self.on_call(record)


def _draft_text(completion: Completion) -> str:
    if completion.json is not None:
        return json.dumps(completion.json, ensure_ascii=False, indent=2)
    return completion.text.strip()


def _grounding_text(completion: Completion, draft: str) -> str:
    """For JSON, check the values only: keys come from the feature's schema, not from the model."""
    if completion.json is None:
        return draft
    return "\n".join(_json_strings(completion.json))


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, Mapping):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)
    elif isinstance(value, bool) or value is None:
        return
    else:
        yield str(value)


def _describe(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, LLMError) else f"Erreur inattendue : {type(exc).__name__}: {exc}"


def _fallback_reason(exc: LLMError) -> str:
    if isinstance(exc, TemplateOnly):
        return str(exc)
    if isinstance(exc, ProviderTimeout):
        return f"Le modèle n'a pas répondu à temps ({exc}).{TEMPLATE_SUFFIX}"
    if isinstance(exc, BudgetExceeded):
        return f"{exc}{TEMPLATE_SUFFIX}"
    return f"Le modèle d'IA est indisponible ({exc}).{TEMPLATE_SUFFIX}"
