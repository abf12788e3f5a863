"""Provider URLs: validation, normalisation, and where the data goes.

Why: the settings page must warn before company data leaves the machine (issue 6 §1), and that decision
must be made from the URL alone — resolving a host name would itself be a network call.
"""

from __future__ import annotations

import ipaddress
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from etabli.engines.llm.errors import LLMConfigError

DataLocation = Literal["machine", "reseau-local", "internet"]

_ENDPOINT_SUFFIXES = ("/chat/completions", "/completions", "/models")


def _host(url: str) -> str:
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:
        raise LLMConfigError(f"Adresse du serveur de langage invalide : « {url} ».") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LLMConfigError(
            f"Adresse du serveur de langage invalide : « {url} » (attendu : http://hôte:port ou https://…)."
        )
    return parts.hostname.lower()


def normalise_base_url(url: str) -> str:
    """ "http://127.0.0.1:11434" → "http://127.0.0.1:11434/v1"; a full endpoint URL is cut back to /v1.

    OpenAI-compatible servers all serve under /v1; users paste either the server address or the
    endpoint they read in a tutorial, both must work.
    """
    if not isinstance(url, str) or not url.strip():
        raise LLMConfigError("L'adresse du serveur de langage est vide.")
    _host(url)
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    for suffix in _ENDPOINT_SUFFIXES:
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    if not path.endswith("/v1"):
        path = f"{path}/v1"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def data_location(url: str) -> DataLocation:
    """Where a request to ``url`` sends data: this machine, the local network, or the Internet.

    Host names other than "localhost" are counted as Internet: they cannot be checked without a DNS
    query, and a warning too many is better than a silent leak.
    """
    host = _host(url)
    if host == "localhost" or host.endswith(".localhost"):
        return "machine"
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return "reseau-local" if host.endswith((".local", ".lan", ".home.arpa", ".internal")) else "internet"
    if address.is_loopback:
        return "machine"
    if address.is_private or address.is_link_local:
        return "reseau-local"
    return "internet"


def is_local_url(url: str) -> bool:
    """True only when data stays on this machine (loopback); the local network already counts as leaving."""
    return data_location(url) == "machine"


def data_location_warning(url: str) -> str | None:
    """French warning for the settings page, or None when nothing leaves the machine."""
    location = data_location(url)
    if location == "machine":
        return None
    host = _host(url)
    if location == "reseau-local":
        return (
            f"Attention : les textes et données envoyés au modèle quitteront cette machine vers « {host} » "
            "sur votre réseau local. Vérifiez que ce serveur est sous votre contrôle."
        )
    return (
        f"Attention : les textes et données envoyés au modèle quitteront cette machine vers « {host} » "
        "sur Internet (données clients, montants, e-mails). "
        "Vérifiez le contrat de traitement (RGPD, art. 28) "
        "et préférez un hébergement dans l'Union européenne."
    )
