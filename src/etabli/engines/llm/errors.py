"""Exceptions of the LLM engine, each with a French message a person can act on.

Why a hierarchy: the engine decides between "fall back to the template" and "tell the user" by the kind
of failure (provider down, too slow, answering garbage, over budget, no model configured). They all
subclass ``LLMError`` (itself a ``ValueError``, as every engine error in Établi) so callers that only
want "it failed, show the message" catch one class.
"""

from __future__ import annotations


class LLMError(ValueError):
    """Base class: ``str(exc)`` is a French sentence fit for the interface."""


class LLMConfigError(LLMError):
    """The provider settings are unusable (bad URL, missing model file…)."""


class ProviderUnavailable(LLMError):
    """The provider cannot be reached (connection refused, server stopped mid-request…)."""


class ProviderTimeout(LLMError):
    """The provider did not answer within the time allowed."""


class ProviderResponseError(LLMError):
    """The provider answered, but not something usable (garbage, HTTP error, unexpected JSON)."""


class StructuredOutputError(LLMError):
    """The model did not produce JSON valid against the requested schema, even after retries."""


class BudgetExceeded(LLMError):
    """The company's monthly AI budget (hard cap) would be exceeded by this call."""


class TemplateOnly(LLMError):
    """No language model is configured: the feature must use its template path.

    The template provider raises it on purpose: it cannot invent text, and saying so loudly is what
    makes features take their deterministic path instead of showing an empty draft.
    """


class GenerationCancelled(LLMError):
    """The caller cancelled the generation (CancelToken or closed stream)."""
