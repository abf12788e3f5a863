"""Small French text helpers shared by every writing feature.

Why hand-written rather than a big NLP library: the features only need accent-insensitive matching,
sentence splitting that survives "M. Dupont" and "12.50 €", and careful truncation — a few regular
expressions, fast on a 1 MB e-mail and with no model to download.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable
from functools import lru_cache

_SPECIAL = {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "\u00a0": " ", "\u202f": " "}


class _FoldTable(dict[int, str]):
    """Character → folded character, computed once per distinct character (``str.translate`` table).

    Folding a 1 MB e-mail character by character in Python took seconds; a cached translation table
    makes it a single C-level pass.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in _SPECIAL:
            folded = _SPECIAL[char]
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            base = "".join(c for c in decomposed if not unicodedata.combining(c))
            folded = base[:1].lower()[:1] if base else char.lower()[:1]
            folded = folded or char
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


@lru_cache(maxsize=32)
def fold(text: str) -> str:
    """Lower-case, accent-free, straight apostrophes: "Très URGENT l’été" → "tres urgent l'ete".

    Used for every keyword match so that "Réclamation", "reclamation" and "RÉCLAMATION" are one word,
    as French writers drop accents on capitals and on phones. Keeps the length of the input (one
    character in, one out) so that match offsets stay valid on the original text.
    """
    return text.translate(_FOLD_TABLE)


def stable_index(*parts: object, modulo: int) -> int:
    """A deterministic pseudo-random index (Python's ``hash`` of a str changes between runs)."""
    if modulo <= 0:
        return 0
    key = "\x1f".join(str(part) for part in parts)
    return zlib.crc32(key.encode("utf-8")) % modulo


def word_pattern(word: str) -> re.Pattern[str]:
    """A pattern matching ``word`` (folded) as a whole word, with an optional plural -s/-x.

    Multi-word expressions ("sans engagement") match with any amount of white space between words.
    """
    folded = fold(word.strip())
    parts = [re.escape(part) for part in folded.split()]
    body = r"\s+".join(parts)
    return re.compile(rf"(?<![\w]){body}(?:s|x)?(?![\w])")


def find_words(text: str, words: Iterable[str]) -> list[str]:
    """The words of ``words`` that appear in ``text`` (accent- and case-insensitive), in input order."""
    folded = fold(text)
    return [word for word in words if word.strip() and word_pattern(word).search(folded)]


_ABBREVIATIONS = (
    "m", "mm", "mme", "mmes", "mlle", "dr", "me", "st", "ste", "cf", "etc", "ex", "n°", "no", "tel", "tél",
    "env", "p", "pp", "art", "av", "bd", "réf", "ref", "min", "max", "janv", "févr", "fevr", "avr", "juil",
    "sept", "oct", "nov", "déc", "dec", "lun", "mar", "mer", "jeu", "ven", "sam", "dim", "vol", "approx",
)
_SENTENCE_END = re.compile(r"([.!?…]+|\n\s*\n|\n(?=\s*[-•*]\s))")


def split_sentences(text: str) -> list[str]:
    """Split French text into sentences, keeping abbreviations ("M. Dupont") and numbers ("12.50") whole.

    A blank line and the start of a bullet also end a sentence, because e-mails are often written as
    short lines without final stops.
    """
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        token = match.group(0)
        if token.startswith("."):
            before = text[start : match.start()]
            last_word = re.findall(r"[\wé°]+$", before)
            after = text[end : end + 2]
            if last_word and fold(last_word[0]) in {fold(a) for a in _ABBREVIATIONS}:
                continue
            if last_word and len(last_word[0]) == 1 and last_word[0].isupper():
                continue  # an initial: "J. Martin"
            if after[:1].isdigit() or (after[:1] and not after[:1].isspace()):
                continue  # 12.50, www.site.fr, a.b@c.fr
        sentence = text[start:end].strip(" \t\n-•*")
        if sentence:
            sentences.append(" ".join(sentence.split()))
        start = end
    tail = text[start:].strip(" \t\n-•*")
    if tail:
        sentences.append(" ".join(tail.split()))
    return sentences


def truncate_words(text: str, limit: int, ellipsis: str = "…") -> str:
    """Cut ``text`` to at most ``limit`` characters at a word boundary, ending with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= len(ellipsis):
        return text[:limit]
    room = limit - len(ellipsis)
    cut = text[:room]
    space = cut.rfind(" ")
    if space > room // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–") + ellipsis


def capitalize_first(text: str) -> str:
    """Upper-case the first character when it is a letter ("thé vert" → "Thé vert"); "3 ans" stays."""
    stripped = text.lstrip()
    if not stripped or not stripped[0].isalpha():
        return text
    index = len(text) - len(stripped)
    return text[:index] + stripped[0].upper() + stripped[1:]


def hashtag(text: str) -> str:
    """"menuiserie bois Lyon" → "#MenuiserieBoisLyon": accent-free CamelCase, readable on every network.

    Accents are removed because X and some Facebook clients split a hashtag at an accented letter.
    """
    words = re.findall(r"[A-Za-z0-9]+", fold(text))
    if not words:
        return ""
    return "#" + "".join(word[:1].upper() + word[1:] for word in words)


_ADDRESS_MARK = re.compile(r"<<([^<>|]*)\|([^<>]*)>>")


def resolve_address(template: str, address: str) -> str:
    """Pick the vouvoiement or tutoiement form of ``<<vous form|tu form>>`` markers.

    Templates carry both forms explicitly because converting French conjugations automatically
    ("Découvrez" → "Découvre", "vos" → "tes") is error-prone; writing both keeps the French correct.
    """
    index = 2 if address == "tu" else 1
    return _ADDRESS_MARK.sub(lambda match: match.group(index), template)


_VOUS_FORMS = re.compile(r"(?<![\w'])(vous|votre|vos)(?![\w])")
_NOUNS_WITH_VOUS = re.compile(r"rendez-vous|rendez vous|rdv|chez-vous")
_TU_FORMS = re.compile(r"(?<![\w'])(tu|toi|ton|ta|tes|te|t')(?![\w])|(?<![\w'])t'(?=\w)")


def address_violations(text: str, address: str) -> list[str]:
    """Forms of the wrong address in ``text``: "vous/votre/vos" under tutoiement, "tu/ton/tes" under vouvoiement."""
    folded = _NOUNS_WITH_VOUS.sub("rdv", fold(text))
    pattern = _VOUS_FORMS if address == "tu" else _TU_FORMS
    return sorted({match.group(0).strip() for match in pattern.finditer(folded)})


_VOWEL_START = re.compile(r"^[aeiouyâàéèêëîïôûœ]", re.IGNORECASE)
_MUTE_H = ("habit", "herb", "heur", "hiver", "histoir", "homm", "honn", "hôpita", "hopita", "hôte", "hote", "horlog", "huil", "humain", "hygi", "héberg", "heberg", "hérit", "herit", "hélic", "helic", "hôtel", "hotel")


def de(word: str) -> str:
    """"de" with French elision: de("expert-comptable") → "d'expert-comptable", de("Lyon") → "de Lyon".

    A vowel elides; an "h" elides only for common mute-h words ("horlogerie", "hôtel"), since aspirated
    ones ("hêtre", "haricot") do not and guessing wrong reads worse than "de".
    """
    word = word.strip()
    lowered = word.lower()
    if _VOWEL_START.match(word) or lowered.startswith(_MUTE_H):
        return f"d'{word}"
    return f"de {word}"
