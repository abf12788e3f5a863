"""Prompt-injection detection for chat messages and knowledge-base content.

Why: the assistant may pass KB passages and the customer's message to an LLM. A text saying "ignore les
instructions précédentes" or "affiche les données d'un autre client" must never reach the model as if
it were an instruction, nor make the assistant drop its "je suis un assistant automatique" disclosure
(AI Act art. 50). These rules flag such text so the app can refuse it (chat) or quarantine it for the
owner's review (KB import). They are a tripwire, not the defence: the defence is that the LLM never has
other customers' data in its context in the first place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etabli.engines.escalation._text import normalize_with_offsets, original_span
from etabli.engines.escalation.errors import EscalationError

MAX_CHARS = 20_000


@dataclass(frozen=True)
class InjectionResult:
    """`flagged` when the text tries to instruct the assistant; one French reason per kind of attempt."""

    flagged: bool
    reasons: tuple[str, ...]
    excerpts: tuple[str, ...] = ()


def _re(pattern: str) -> re.Pattern[str]:
    """Plain spaces in patterns: " " matches a run of spaces, " ?" an optional one."""
    return re.compile(pattern.replace(" ?", r"\s*").replace(" ", r"\s+"))


_DATA = (
    r"(donnees|coordonnees|commandes?|factures?|adresses?|e ?mails?|mails?|telephones?|numeros?"
    r"|informations|infos|historique|mots? de passe|identifiants?|fichier|liste|noms?"
    r"|cartes? bancaires?|iban|rib|paiements?)"
)
_OTHERS = (
    r"(d'autres? clients?|des autres clients|autres? clients?|tous les clients|de tous"
    r"|d'un autre (client|utilisateur|compte)|autres? utilisateurs?|autres? comptes?|client suivant"
    r"|la base( de donnees)?|vos clients)"
)

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "Tentative de faire ignorer les instructions de l'assistant.",
        _re(
            r"\b(ignore|ignorez|ignorer|oublie|oubliez|oublier|neglige|negligez|ne tiens pas compte|ne tenez pas"
            r" compte|fais abstraction|faites abstraction|contourne|contournez)\b"
            r".{0,50}\b(instructions?|consignes?|regles?|directives?|ordres?|prompts?|restrictions?"
            r"|programmation)\b"
        ),
    ),
    (
        "Tentative de faire ignorer les instructions de l'assistant.",
        _re(
            r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|prompts?|rules|guidelines"
            r"|directives|context)\b"
        ),
    ),
    (
        "Demande des instructions internes de l'assistant (« prompt système »).",
        _re(
            r"\b(system ?prompt|prompt (systeme|initial|cache)|message systeme|instructions? (systeme|initiales?"
            r"|cachees?|internes?)|(repete|repetez|affiche|affichez|montre|montrez|revele|revelez|donne|donnez)"
            r"( moi)? (tes|vos|ton|votre) (instructions|consignes|prompt|regles)|reveal your (prompt|instructions)"
            r"|your (system )?instructions)\b"
        ),
    ),
    (
        "Tentative de changer le rôle de l'assistant.",
        _re(
            r"\b(tu es|vous etes) (maintenant|desormais|a present|dorenavant)\b"
            r"|\b(agis comme|agissez comme|comporte toi comme|comportez vous comme|joue le role|jouez le role"
            r"|imagine que tu es|fais semblant d'etre)\b"
            r"|\b(you are now|act as|pretend (to be|you are)|roleplay as)\b"
            r"|\bmode (developpeur|debug|admin|administrateur|dieu|sans filtre)\b"
            r"|\b(developer mode|jailbreak|dan mode|do anything now)\b"
            r"|\b(reponds|repondez|parle|parlez) sans (restriction|filtre|censure)s?\b"
        ),
    ),
    (
        "Demande de données d'autres clients.",
        _re(
            rf"\b(affiche|affichez|montre|montrez|donne|donnez|revele|revelez|liste|listez|envoie|envoyez"
            rf"|communique|communiquez|transmets|transmettez|dis|dites|exporte|exportez|extrais|extrayez|lis|lisez"
            rf"|show|list|give|dump)\b.{{0,60}}\b{_DATA}\b.{{0,40}}\b{_OTHERS}"
        ),
    ),
    (
        "Demande de données d'autres clients.",
        _re(rf"\b{_DATA} (de|des|d') ?{_OTHERS}"),
    ),
    (
        "Tentative de supprimer la mention « assistant automatique ».",
        _re(
            r"\bne (dis|dites|mentionne|mentionnez|precise|precisez|indique|indiquez|revele|revelez|avoue|avouez)"
            r" (pas|plus|jamais) (que|qu') ?(tu es|vous etes|c'est|tu n'es|vous n'etes)|\b(cache|cachez|masque"
            r"|masquez|supprime|supprimez|retire|retirez|enleve|enlevez)\b.{0,30}\b(mention|avertissement"
            r"|disclaimer|message) (ia|d'ia|automatique|robot)|\bpretends? (to be )?(a )?human\b"
            r"|\b(fais|faites) (toi|vous) passer pour (un|une) (humain|personne|vendeu\w*|conseill\w*)\b"
        ),
    ),
    (
        "Balises d'instructions pour modèle de langage.",
        re.compile(
            r"<\|?(im_start|im_end|system|endoftext)\|?>|\[/?inst\]|</?system>|^#{2,}\s*(system|instruction)"
            r"|```\s*system",
            re.MULTILINE,
        ),
    ),
)


def detect_injection(text: str) -> InjectionResult:
    """Flag a message or KB passage that tries to instruct the assistant."""
    if not isinstance(text, str):
        raise EscalationError("Le texte à vérifier doit être une chaîne de caractères.")
    norm, offsets = normalize_with_offsets(text[:MAX_CHARS])
    reasons: list[str] = []
    excerpts: list[str] = []
    for reason, pattern in _RULES:
        for match in pattern.finditer(norm):
            if reason in reasons or _after_auxiliary(norm, match.start()):
                continue
            reasons.append(reason)
            excerpts.append(original_span(text, offsets, *match.span()).strip())
    return InjectionResult(bool(reasons), tuple(reasons), tuple(excerpts))


def _after_auxiliary(norm: str, start: int) -> bool:
    """ "j'ai oublié les instructions de montage" is a customer's mishap, not an order to the assistant:
    a verb right after an auxiliary is a past participle, not an imperative."""
    words = re.findall(r"[a-z']+", norm[max(0, start - 20) : start])
    return bool(words) and words[-1] in _AUXILIARIES


_AUXILIARIES = {
    "ai",
    "j'ai",
    "as",
    "a",
    "avons",
    "avez",
    "ont",
    "avait",
    "avais",
    "avions",
    "aviez",
    "avaient",
    "n'ai",
    "n'avons",
    "n'avez",
    "m'a",
    "t'a",
    "ete",
    "etait",
    "est",
    "sont",
    "deja",
}
