"""Structured output: checking a JSON schema, pulling JSON out of a model's text, validating it.

Why here and not in each provider: constrained decoding (llama.cpp grammars, ``response_format``) is a
best effort that some servers ignore silently; every structured answer is therefore parsed and validated
the same way, whatever produced it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import jsonschema

from etabli.engines.llm.datatypes import Message
from etabli.engines.llm.errors import LLMError, StructuredOutputError
from etabli.engines.llm.prompts import render_prompt

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)


def check_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Reject an invalid JSON schema before anything is sent to a model (a programming error)."""
    if not isinstance(schema, Mapping):
        raise LLMError("Le schéma JSON doit être un dictionnaire.")
    try:
        validator_cls = jsonschema.validators.validator_for(schema)
        validator_cls.check_schema(schema)
    except jsonschema.SchemaError as exc:
        raise LLMError(f"Schéma JSON invalide : {exc.message}") from exc
    return dict(schema)


def extract_json(text: str) -> Any:
    """Parse the JSON a model wrote, tolerating code fences and chatter around one object.

    Small models often wrap JSON in ```json fences or add a sentence before it; the object itself is
    what matters. Raises ``StructuredOutputError`` when no JSON can be found.
    """
    candidates = [text.strip()]
    candidates.extend(match.strip() for match in _FENCE.findall(text))
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        candidates.append(text[start : end + 1])
    for candidate in candidates:
        if not candidate:
            continue
        try:
            return json.loads(candidate)
        except json.JSONDecodeError:
            continue
    excerpt = text.strip()[:120] or "(réponse vide)"
    raise StructuredOutputError(f"La réponse du modèle n'est pas du JSON lisible : « {excerpt} ».")


def validation_error(data: Any, schema: Mapping[str, Any]) -> str | None:
    """French description of the first schema violation, or None when ``data`` is valid."""
    validator_cls = jsonschema.validators.validator_for(schema)
    errors = sorted(validator_cls(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    first = errors[0]
    where = "/".join(str(part) for part in first.absolute_path) or "racine"
    return f"champ « {where} » : {first.message}"


def parse_and_validate(text: str, schema: Mapping[str, Any]) -> dict[str, Any]:
    """``extract_json`` then validation; the result must be a JSON object (a dict)."""
    data = extract_json(text)
    problem = validation_error(data, schema)
    if problem is not None:
        raise StructuredOutputError(f"Le JSON produit ne respecte pas le schéma demandé ({problem}).")
    if not isinstance(data, dict):
        raise StructuredOutputError("Le JSON produit doit être un objet (entre accolades).")
    return data


def with_json_instruction(messages: list[Message], schema: Mapping[str, Any]) -> list[Message]:
    """Add the French "answer with JSON matching this schema" instruction to the system message.

    Used when the server cannot constrain decoding: the schema goes in the prompt and the answer is
    validated afterwards.
    """
    instruction = render_prompt("json_consigne", schema=json.dumps(schema, ensure_ascii=False, indent=1))
    if messages and messages[0].role == "system":
        return [Message("system", f"{messages[0].content}\n\n{instruction}"), *messages[1:]]
    return [Message("system", instruction), *messages]


def with_correction(messages: list[Message], bad_answer: str, problem: str) -> list[Message]:
    """Conversation for a retry: the model sees its invalid answer and what was wrong with it."""
    return [
        *messages,
        Message("assistant", bad_answer[:4000]),
        Message("user", render_prompt("json_correction", erreur=problem)),
    ]
