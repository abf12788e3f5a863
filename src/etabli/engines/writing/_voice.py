"""Applying the company's voice (tone, tu/vous, words to avoid, signature) to template text.

Why: the template path must sound like the company as much as the model path does. Templates carry both
address forms (``<<vous form|tu form>>``) and several wordings per sentence; the wording chosen is the
first one, in a rotation that varies with the seed, that uses none of the words the company avoids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from etabli.engines.llm.guard import Voice
from etabli.engines.writing._text import address_violations, find_words, fold, resolve_address, stable_index

DEFAULT_VOICE = Voice()

_WARM = ("chaleureux", "convivial", "decontracte", "fun", "amical", "enthousiaste", "dynamique", "familial", "joyeux", "humour")
_FORMAL = ("sobre", "formel", "institutionnel", "luxe", "haut de gamme", "technique", "expert", "serieux", "neutre")


def register(voice: Voice) -> str:
    """"chaleureux" or "sobre": decides emojis and exclamation marks in templates.

    A tone mentioning both ("professionnel mais chaleureux") counts as warm: the guide's own example
    posts (ch. 6.1) use an emoji per post with a "professionnel mais accessible" tone.
    """
    tone = fold(voice.tone)
    if any(word in tone for word in _WARM) or "accessible" in tone:
        return "chaleureux"
    if any(word in tone for word in _FORMAL) or "professionnel" in tone:
        return "sobre"
    return "chaleureux"


def is_warm(voice: Voice) -> bool:
    return register(voice) == "chaleureux"


def pick(variants: Sequence[str], *, voice: Voice, key: object, seed: int = 0) -> str:
    """One wording among ``variants``, in the voice's address, avoiding the company's banned words.

    Rotation by (key, seed) gives variety across posts and products; when every wording uses a banned
    word the first is returned and the final voice check reports it.
    """
    if not variants:
        return ""
    start = stable_index(key, seed, modulo=len(variants))
    ordered = list(variants[start:]) + list(variants[:start])
    resolved = [resolve_address(variant, voice.address) for variant in ordered]
    for text in resolved:
        if not find_words(text, voice.words_to_avoid):
            return text
    return resolved[0]


def drop_avoided(sentences: Sequence[str], voice: Voice, *, keep: Sequence[str] = ()) -> list[str]:
    """Remove optional sentences that use a banned word (sentences in ``keep`` carry facts and stay)."""
    return [s for s in sentences if s in keep or not find_words(s, voice.words_to_avoid)]


def voice_warnings(text: str, voice: Voice, *, expect_signature: bool = False, check_address: bool = True) -> list[str]:
    """French warnings when ``text`` breaks the voice: banned words, wrong address, missing signature."""
    warnings: list[str] = []
    banned = find_words(text, voice.words_to_avoid)
    if banned:
        listed = ", ".join(f"« {word} »" for word in banned)
        warnings.append(f"Mot(s) à éviter présent(s) : {listed}.")
    wrong = address_violations(text, voice.address) if check_address else []
    if wrong:
        expected = "tutoiement" if voice.address == "tu" else "vouvoiement"
        listed = ", ".join(f"« {word} »" for word in wrong)
        warnings.append(f"Le texte doit employer le {expected} : formes à revoir {listed}.")
    signature = voice.signature.strip()
    if expect_signature and signature and fold(signature.splitlines()[0]) not in fold(text):
        warnings.append("La signature de l'entreprise est absente.")
    return warnings


def closing_formula(voice: Voice, *, key: object = 0) -> str:
    """A closing formula matching tone and address ("Bien cordialement," / "À très vite,")."""
    if voice.address == "tu":
        options = ("À bientôt,", "Belle journée,", "Bien à toi,") if is_warm(voice) else ("Bien à toi,", "Cordialement,")
    else:
        options = ("Bien cordialement,", "Belle journée,", "Bien à vous,") if is_warm(voice) else ("Cordialement,", "Bien cordialement,")
    return pick(options, voice=voice, key=("closing", key))


def signature_block(voice: Voice) -> str:
    """The signature, or the company name when no signature is set (a reply must say who writes)."""
    if voice.signature.strip():
        return voice.signature.strip()
    return voice.company.strip()


def greeting(voice: Voice, first_name: str, full_name: str = "") -> str:
    """"Bonjour Paul," (tu or warm), "Bonjour Paul Martin," (vous, sober), else "Bonjour,"."""
    first_name = first_name.strip()
    if not first_name:
        return "Bonjour,"
    if voice.address == "tu" and is_warm(voice) and "decontract" in fold(voice.tone):
        return f"Salut {first_name},"
    if voice.address == "vous" and not is_warm(voice) and full_name.strip():
        return f"Bonjour {full_name.strip()},"
    return f"Bonjour {first_name},"


def emoji(voice: Voice, symbol: str) -> str:
    """The emoji followed by a space for a warm voice, nothing for a sober one."""
    return f"{symbol} " if is_warm(voice) else ""


def exclaim(voice: Voice, sentence: str) -> str:
    """Swap a final "!" for "." in a sober voice: exclamation marks read as shouting in formal French."""
    if is_warm(voice):
        return sentence
    return re.sub(r"\s*!+\s*$", ".", sentence)
