"""French prompt templates stored as text files under ``prompts/`` (version-controlled, reviewable).

Why files and not Python strings: wording is product content that a non-developer reviews and changes;
a diff on a .txt file is readable, and the prompt used for a decision can be traced to a commit.
Templates use ``string.Template`` syntax (``$name``) so braces in JSON examples need no escaping.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from importlib import resources

from etabli.engines.llm.errors import LLMError

_NAME = re.compile(r"^[a-z0-9_]+$")


@lru_cache(maxsize=64)
def load_prompt(name: str, package: str = "etabli.engines.llm") -> str:
    """Text of ``<package>/prompts/<name>.txt``; other engines may keep their prompts the same way."""
    if not _NAME.match(name):
        raise LLMError(f"Nom de consigne invalide : « {name} » (lettres minuscules, chiffres et _).")
    resource = resources.files(package) / "prompts" / f"{name}.txt"
    try:
        return resource.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise LLMError(f"Consigne introuvable : « {name}.txt » dans {package}.") from exc


def render_text(template: str, /, **values: object) -> str:
    """Fill a ``$name`` template; a missing value is a programming error, reported in French."""
    try:
        return string.Template(template).substitute({k: str(v) for k, v in values.items()})
    except KeyError as exc:
        raise LLMError(f"Valeur manquante pour la consigne : « {exc.args[0]} ».") from exc
    except ValueError as exc:
        raise LLMError(f"Modèle de consigne mal formé : {exc}.") from exc


def render_prompt(name: str, /, package: str = "etabli.engines.llm", **values: object) -> str:
    """Load ``prompts/<name>.txt`` and fill it."""
    return render_text(load_prompt(name, package), **values)
