"""One place where a writing feature turns (template text, prompt, facts) into a labelled draft.

Why: every feature must behave the same way — without an engine the template text is the draft; with an
engine the model writes it, the llm engine falls back to the template when the model is down, over
budget or unfaithful to the facts; in both cases the draft carries its label ("brouillon généré par
IA" or "… par modèle de texte"), who produced it, and French warnings (facts not found in the input,
banned words, wrong tu/vous). Nothing is published by this engine: a person approves every draft.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from etabli.engines.llm.guard import Voice, check_grounding, draft_label
from etabli.engines.writing._voice import voice_warnings

if TYPE_CHECKING:  # the llm engine is only needed when a caller passes one
    from etabli.engines.llm import LLMEngine

TEMPLATE_PROVIDER = "template"


@dataclass(frozen=True)
class Draft:
    """A text proposed to a person, never sent or published as-is.

    ``warnings`` are French sentences to show next to the draft (facts not found in the input, voice
    problems, truncation). ``fallback_reason`` says, in French, why a model's text was not used, and
    ``rejected_draft`` keeps that text for a "voir la proposition de l'IA" detail (never as ``text``).
    """

    text: str
    generated_by_ai: bool
    label: str
    warnings: tuple[str, ...] = ()
    provider: str = TEMPLATE_PROVIDER
    model: str = ""
    fallback_reason: str | None = None
    facts_checked: int = 0
    rejected_draft: str | None = None

    @property
    def grounded(self) -> bool:
        """True when no fact-check warning was raised."""
        return not any(w.startswith("Fait non vérifié") for w in self.warnings)


@dataclass
class ComposeRequest:
    """What a feature hands over: its feature name, template text, French prompt and grounding facts.

    ``system`` holds the feature's instructions only; the engine adds the company's voice before them.
    """

    feature: str
    template_text: str
    prompt: str
    system: str
    facts: Mapping[str, Any] = field(default_factory=dict)
    schema: Mapping[str, Any] | None = None
    expect_signature: bool = False
    postprocess: Callable[[str], str] | None = None  # applied to a model's text only (e.g. fit a length)
    max_tokens: int = 512
    check_address: bool = True


def _grounding_warnings(text: str, facts: Mapping[str, Any]) -> tuple[list[str], int]:
    report = check_grounding(text, facts)
    return [f"Fait non vérifié : {m.message_fr}" for m in report.mismatches], report.checked


def compose(request: ComposeRequest, *, voice: Voice, engine: LLMEngine | None = None) -> Draft:
    """Produce the draft for ``request``: the template text without engine, the model's text with one.

    The template text is fact-checked too: it is built from the input, so a mismatch there is a bug
    worth showing rather than hiding.
    """
    if engine is None:
        text = request.template_text
        warnings, checked = _grounding_warnings(text, request.facts)
        warnings += voice_warnings(
            text, voice, expect_signature=request.expect_signature, check_address=request.check_address
        )
        return Draft(
            text=text,
            generated_by_ai=False,
            label=draft_label(False),
            warnings=tuple(warnings),
            facts_checked=checked,
        )
    composition = engine.compose(
        request.feature,
        prompt=request.prompt,
        system=request.system,
        template=lambda: request.template_text,
        facts=dict(request.facts),
        schema=dict(request.schema) if request.schema is not None else None,
        voice=voice,
        max_tokens=request.max_tokens,
    )
    text = composition.text
    if request.postprocess is not None and composition.generated_by_ai:
        text = request.postprocess(text)
    warnings, checked = _grounding_warnings(text, request.facts)
    warnings += voice_warnings(
        text, voice, expect_signature=request.expect_signature, check_address=request.check_address
    )
    return Draft(
        text=text,
        generated_by_ai=bool(composition.generated_by_ai),
        label=composition.label or draft_label(bool(composition.generated_by_ai)),
        warnings=tuple(dict.fromkeys(warnings)),
        provider=composition.used_provider or TEMPLATE_PROVIDER,
        model=composition.model or "",
        fallback_reason=composition.fallback_reason,
        facts_checked=checked,
        rejected_draft=composition.rejected_draft,
    )


def system_prompt(voice: Voice, extra: str) -> str:
    """The feature's own instructions; the llm engine prepends the voice prompt (prompts/voix.txt).

    Kept as a function so every feature states its instructions the same way; ``voice`` is accepted for
    symmetry and future per-voice instructions.
    """
    del voice
    return extra.strip()


def facts_block(facts: Mapping[str, Any]) -> str:
    """Facts as a French bullet list for a prompt ("- Prix : 1 290,00 €"), skipping empty values."""
    lines: list[str] = []
    for key, value in facts.items():
        if value in (None, "", (), []):
            continue
        if isinstance(value, (list, tuple)):
            value = " ; ".join(str(item) for item in value if str(item).strip())
        lines.append(f"- {key} : {value}")
    return "\n".join(lines)
