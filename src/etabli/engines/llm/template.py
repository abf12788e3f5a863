"""The template provider: always available, deterministic, no model, no network.

Why a provider that refuses to generate: a feature written against the engine works the same whether a
model is configured or not. With this provider, every generation raises ``TemplateOnly`` and the engine
takes the feature's template path — a structured French text filled from the inputs, never an invented
one.
"""

from __future__ import annotations

from collections.abc import Iterator

from etabli.engines.llm.base import BaseProvider, GenerationOptions
from etabli.engines.llm.datatypes import Completion, Health, Message, estimate_tokens
from etabli.engines.llm.errors import TemplateOnly

NO_MODEL_REASON = (
    "Aucun modèle de langue n'est configuré : le brouillon est produit par le modèle de texte "
    "(sans IA, sans envoi de données)."
)


class TemplateProvider(BaseProvider):
    """Stands in for "no model": ``generate``/``chat``/``stream`` raise ``TemplateOnly``."""

    name = "template"
    model = "modele-de-texte"
    is_local = True

    def _chat(self, messages: list[Message], options: GenerationOptions) -> Completion:
        raise TemplateOnly(NO_MODEL_REASON)

    def _stream(self, messages: list[Message], options: GenerationOptions) -> Iterator[str]:
        raise TemplateOnly(NO_MODEL_REASON)

    def count_tokens(self, text: str) -> int:
        return estimate_tokens(text)

    def health(self) -> Health:
        return Health(
            ok=True,
            detail="Aucun modèle de langue configuré : chaque fonction utilise son modèle de texte "
            "(résultat déterministe, aucune donnée envoyée).",
            models=[],
        )
