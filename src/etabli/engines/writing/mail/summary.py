"""Thread summary (guide ch. 4.3, "Synthèse de conversations"): 3–5 key points, decisions, actions.

Extractive on purpose: every point, decision and action is a sentence someone actually wrote, with its
author — a summary that cannot misquote. Sentences are scored by how central their words are to the
thread (stemmed French content words), with bonuses for decisions ("on part sur", "c'est validé"),
actions ("je m'en occupe", "Paul, peux-tu…"), dates and amounts. Each action gets an owner (the writer
for "je…", the named person for "Paul va…" or "Paul, peux-tu…", the other participant for an unnamed
"peux-tu…") and a due date read from French expressions ("avant vendredi", "le 12/12", "d'ici la fin du
mois") resolved against the date of the message that said it.

A thread is either a list of messages or one raw e-mail whose quoted history ("Le … a écrit :",
"De : … Envoyé : …", "> " lines) is split back into messages. With an LLM engine, the model writes the
prose summary and the extractive one is its fallback; the structured points/decisions/actions stay
extractive in both cases.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import snowballstemmer
from rapidfuzz import fuzz

from etabli.engines.llm.guard import Voice
from etabli.engines.writing._compose import ComposeRequest, Draft, compose, system_prompt
from etabli.engines.writing._text import fold, split_sentences, truncate_words
from etabli.engines.writing._voice import DEFAULT_VOICE
from etabli.engines.writing.dates import DateMention, find_dates, format_french_date
from etabli.engines.writing.errors import WritingError
from etabli.engines.writing.mail.parse import EmailInput, ParsedEmail, check_size, split_signature, to_email

if TYPE_CHECKING:
    from etabli.engines.llm import LLMEngine

_STEMMER = snowballstemmer.stemmer("french")

STOPWORDS = frozenset(
    ["a", "au", "aux", "avec", "ce", "ces", "cet", "cette", "dans", "de", "des", "du", "elle", "elles", "en", "et", "eux", "il", "ils", "je", "j", "la", "le", "les", "leur", "leurs", "lui", "ma", "mais", "me", "meme", "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses", "son", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "c", "d", "l", "m", "n", "s", "t", "y", "est", "sont", "ete", "etre", "avoir", "ai", "as", "avons", "avez", "ont", "a", "eu", "fait", "faire", "plus", "tres", "bien", "tout", "tous", "toute", "toutes", "aussi", "alors", "donc", "si", "comme", "ca", "cela", "ceci", "celui", "celle", "ici", "la-bas", "oui", "non", "merci", "bonjour", "bonsoir", "salut", "cordialement", "bonne", "journee", "soiree", "semaine", "bise", "bises", "ok", "super", "top", "encore", "deja", "peu", "peut", "peux", "pouvez", "pourrais", "pourriez", "va", "vais", "vas", "allons", "allez", "vont", "sera", "serait", "etait", "suis", "es", "sommes", "etes", "avais", "avait", "quand", "comment", "pourquoi", "quoi", "dont", "lors", "apres", "avant", "entre", "chez", "sans", "sous", "vers", "depuis", "pendant", "hier", "demain", "aujourd", "hui", "jour", "jours", "fois", "tres", "ci-joint", "pj", "re", "tr", "objet", "envoye", "message", "mail", "mails", "email", "e-mail", "courriel"]
)

DECISION = re.compile(
    r"(on a decide|nous avons decide|j'ai decide|c'est decide|decision|nous avons convenu|on a convenu|il est convenu"
    r"|convenu que|d'accord pour|ok pour|c'est valide|je valide|nous validons|on valide|valide\b|accord pour|on part sur"
    r"|nous partons sur|on retient|nous retenons|je confirme|c'est confirme|confirme que|va pour|approuve|c'est acte"
    r"|c'est bon pour|on garde|nous gardons|on choisit|nous choisissons|c'est parti)"
)
ACTION = re.compile(
    r"(je vais|je m'occupe|je me charge|je m'en charge|je m'en occupe|j'envoie|je t'envoie|je vous envoie|je prepare"
    r"|je rappelle|je ferai|j'enverrai|je passerai|je relance|je dois|nous allons|on va\b|il faut|il faudra|a faire"
    r"|action\s*:|merci de\b|peux-tu|pouvez-vous|pourrais-tu|pourriez-vous|tu peux|vous pouvez|tu pourras|vous pourrez"
    r"|\bva\b|\bdoit\b|devra|s'occupe|se charge|a prevoir|a envoyer|a relancer|n'oublie pas|n'oubliez pas|pense a|pensez a"
    r"|je reviens vers|je te dis|je vous dis|je regarde|je verifie|je commande|je reserve|je transmets"
    r"|passera|enverra|fera\b|preparera|rappellera|appellera|livrera|viendra|s'en occupera|relancera|commandera|verifiera)"
)
_ADDRESSED = re.compile(r"(peux-tu|pourrais-tu|tu peux|tu pourras|merci de|pouvez-vous|pourriez-vous|vous pouvez|vous pourrez|n'oublie pas|pense a|pensez a|n'oubliez pas)")
_FIRST_PERSON = re.compile(r"(?<![\w])(je|j'|moi|nous|on)(?![\w])")
_NAMED_OWNER = re.compile(
    r"^(?:et |alors |donc |ok,? |du coup,? )?([A-ZÉÈÀÂÎÔÛÇ][\w\-]+)(?:\s+([A-ZÉÈÀÂÎÔÛÇ][\w\-]+))?\s*,?\s+"
    r"(va|doit|devra|s'occupe|se charge|prépare|préparera|enverra|fera|passera|rappellera|appellera|pourra|peut|gère|vérifie|commande)\b"
)
_VOCATIVE = re.compile(r"^([A-ZÉÈÀÂÎÔÛÇ][\w\-]+)\s*,\s*(?:est-ce que\s+)?(?:tu|vous|peux|pourrais|pouvez|pourriez|merci|n'oublie|pense)", re.UNICODE)
_NOT_NAMES = frozenset(["je", "tu", "il", "elle", "nous", "vous", "on", "ils", "elles", "merci", "bonjour", "ok", "et", "alors", "donc", "du", "pour", "le", "la", "les", "un", "une", "ce", "cette", "si", "oui", "non", "bon", "bref", "enfin"])
_GREETING = re.compile(r"^(bonjour|bonsoir|salut|hello|coucou|re|cher|chere|madame|monsieur)\b[^.!?]{0,40}[,!]?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ThreadMessage:
    """One message of a thread: who wrote it, when, and their own text (no quotes, no signature)."""

    author: str
    text: str
    date: dt.datetime | None = None
    to: str = ""


@dataclass(frozen=True)
class Action:
    """Something to do: ``what`` (the sentence), ``owner`` (None when nobody is named), ``due`` date."""

    what: str
    owner: str | None
    due: dt.date | None
    due_text: str | None
    author: str

    def as_text(self) -> str:
        owner = self.owner or "responsable à désigner"
        if self.due is not None:
            when = f", pour le {format_french_date(self.due)}"
        elif self.due_text:
            when = f", échéance : « {self.due_text} »"
        else:
            when = ""
        return f"{self.what} ({owner}{when})"


@dataclass(frozen=True)
class ThreadSummary:
    """Key points (with authors), decisions, actions and the rendered French summary as a draft."""

    subject: str
    participants: tuple[str, ...]
    messages: int
    points: tuple[str, ...]
    decisions: tuple[str, ...]
    actions: tuple[Action, ...]
    draft: Draft

    @property
    def text(self) -> str:
        return self.draft.text

    @property
    def generated_by_ai(self) -> bool:
        return self.draft.generated_by_ai

    @property
    def label(self) -> str:
        return self.draft.label


# --------------------------------------------------------------------------------------------------
# Splitting a raw thread
# --------------------------------------------------------------------------------------------------
_HEADER_FR = re.compile(r"^le\s(?P<when>.{4,80}?),?\s+(?P<who>[^,<>]*?)\s*(?:<[^>]*>)?\s*a\s+ecrit\s*:\s*$")
_HEADER_EN = re.compile(r"^on\s(?P<when>.{4,80}?),?\s+(?P<who>[^,<>]*?)\s*(?:<[^>]*>)?\s*wrote\s*:\s*$")
_OUTLOOK_FROM = re.compile(r"^(?:de|from)\s*:\s*(?P<who>[^<\n]*?)\s*(?:<[^>]*>|\[[^\]]*\])?\s*$")
_OUTLOOK_DATE = re.compile(r"^(?:envoye|sent|date)\s*:\s*(?P<when>.+)$")
_SEPARATOR = re.compile(r"^-{2,}\s*(message d'origine|original message|message transfere|forwarded message)\s*-*$")


def _unquote(line: str) -> str:
    return re.sub(r"^(\s*>)+\s?", "", line)


def _header_date(text: str, fallback: dt.datetime | None) -> dt.datetime | None:
    mentions = [m for m in find_dates(text, fallback.date() if fallback else None) if m.value is not None]
    if not mentions:
        return None
    value = mentions[0].value
    assert value is not None
    hour = re.search(r"(\d{1,2})[:h](\d{2})", text)
    time = dt.time(int(hour.group(1)) % 24, int(hour.group(2)) % 60) if hour else dt.time(12, 0)
    return dt.datetime.combine(value, time)


def split_thread(email: str | bytes | EmailInput | ParsedEmail) -> list[ThreadMessage]:
    """Rebuild the messages of a replied-to e-mail, oldest first, from its quoted history."""
    parsed = to_email(email)
    lines = [_unquote(line) for line in parsed.full_text.splitlines()]
    # Join "Le …, Paul <p@x.fr> a\nécrit :" wrapped over two lines.
    joined: list[str] = []
    for line in lines:
        if joined and re.match(r"^\s*(a\s+)?[ée]crit\s*:\s*$", line) and fold(joined[-1]).startswith("le "):
            joined[-1] = joined[-1].rstrip() + " " + line.strip()
        else:
            joined.append(line)
    segments: list[tuple[str, dt.datetime | None, list[str]]] = [(parsed.sender_name or parsed.sender_address, parsed.date, [])]
    index = 0
    while index < len(joined):
        line = joined[index]
        folded = fold(line.strip())
        header = _HEADER_FR.match(folded) or _HEADER_EN.match(folded)
        if header:
            start = folded.find(header.group("who")) if header.group("who") else -1
            who = line.strip()[start : start + len(header.group("who"))] if start >= 0 else ""
            segments.append((who.strip() or "inconnu", _header_date(line, parsed.date), []))
            index += 1
            continue
        if _SEPARATOR.match(folded):
            index += 1
            continue
        outlook = _OUTLOOK_FROM.match(folded)
        if outlook and index + 1 < len(joined) and _OUTLOOK_DATE.match(fold(joined[index + 1].strip())):
            start = folded.find(outlook.group("who"))
            who = line.strip()[start : start + len(outlook.group("who"))] if start >= 0 else "inconnu"
            when = _header_date(joined[index + 1], parsed.date)
            index += 2
            while index < len(joined) and re.match(r"^(a|à|to|cc|objet|subject)\s*:", fold(joined[index].strip())):
                index += 1
            segments.append((who.strip() or "inconnu", when, []))
            continue
        segments[-1][2].append(line)
        index += 1
    messages: list[ThreadMessage] = []
    for author, date, body_lines in segments:
        body, _signature = split_signature("\n".join(body_lines).strip())
        if body.strip():
            messages.append(ThreadMessage(author=author, text=body.strip(), date=date))
    messages.reverse()
    return messages


# --------------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------------
@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    """Snowball is pure Python: a thread repeats the same words, so each is stemmed once."""
    return _STEMMER.stemWord(word)


def _stems(text: str) -> list[str]:
    words = re.findall(r"[a-z][a-z'\-]+", fold(text))
    words = [w.split("'")[-1] for w in words]
    return [_stem(w) for w in words if w not in STOPWORDS and len(w) > 2]


@dataclass
class _Sentence:
    text: str
    author: str
    message_index: int
    position: int
    date: dt.datetime | None
    score: float = 0.0
    is_decision: bool = False
    is_action: bool = False


def _candidate_sentences(messages: Sequence[ThreadMessage]) -> list[_Sentence]:
    sentences: list[_Sentence] = []
    for m_index, message in enumerate(messages):
        position = 0
        for sentence in split_sentences(message.text):
            cleaned = re.sub(r"^(bonjour|bonsoir|salut|hello|coucou|re)\b[^,.!?]{0,30}[,!]\s*", "", sentence, flags=re.IGNORECASE).strip()
            if _GREETING.match(cleaned) or len(cleaned.split()) < 4:
                continue
            sentences.append(_Sentence(cleaned, message.author, m_index, position, message.date))
            position += 1
    return sentences


def _score(sentences: list[_Sentence]) -> None:
    stems_of = [_stems(s.text) for s in sentences]
    frequencies = Counter(stem for stems in stems_of for stem in set(stems))
    for sentence, stems in zip(sentences, stems_of, strict=True):
        folded = fold(sentence.text)
        centrality = sum(frequencies[s] for s in set(stems)) / math.sqrt(max(len(stems), 1)) if stems else 0.0
        sentence.is_decision = bool(DECISION.search(folded))
        sentence.is_action = bool(ACTION.search(folded))
        bonus = 2.0 * sentence.is_decision + 1.5 * sentence.is_action
        bonus += 1.0 if find_dates(sentence.text, None) else 0.0
        bonus += 0.5 if re.search(r"\d", sentence.text) else 0.0
        bonus += 0.5 if sentence.position == 0 else 0.0
        if len(sentence.text) > 300:
            bonus -= 1.0
        sentence.score = centrality + bonus


def _select_points(sentences: list[_Sentence], limit: int) -> list[_Sentence]:
    chosen: list[_Sentence] = []
    for sentence in sorted(sentences, key=lambda s: -s.score):
        if any(fuzz.token_set_ratio(sentence.text, other.text) > 80 for other in chosen):
            continue
        chosen.append(sentence)
        if len(chosen) >= limit:
            break
    return sorted(chosen, key=lambda s: (s.message_index, s.position))


# --------------------------------------------------------------------------------------------------
# Actions
# --------------------------------------------------------------------------------------------------
def _participants(messages: Sequence[ThreadMessage]) -> list[str]:
    return list(dict.fromkeys(m.author for m in messages if m.author))


def _first_names(participants: Sequence[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for participant in participants:
        words = participant.replace('"', "").split()
        if words:
            names[fold(words[0])] = participant
    return names


def _other_participant(author: str, participants: Sequence[str], to: str) -> str | None:
    if to:
        return to
    others = [p for p in participants if p != author]
    return others[0] if len(others) == 1 else None


def _owner(sentence: _Sentence, participants: Sequence[str], to: str) -> str | None:
    names = _first_names(participants)
    named = _NAMED_OWNER.match(sentence.text) or _VOCATIVE.match(sentence.text)
    if named and fold(named.group(1)) not in _NOT_NAMES:
        first = named.group(1)
        return names.get(fold(first), first)
    folded = fold(sentence.text)
    addressed = _ADDRESSED.search(folded)
    first_person = _FIRST_PERSON.search(folded)
    if addressed and (not first_person or addressed.start() < first_person.start()):
        return _other_participant(sentence.author, participants, to)
    if first_person:
        return sentence.author
    return None


def _due(sentence: _Sentence, today: dt.date | None) -> DateMention | None:
    reference = sentence.date.date() if sentence.date else today
    mentions = find_dates(sentence.text, reference)
    deadlines = [m for m in mentions if m.is_deadline]
    return (deadlines or mentions or [None])[0]


def _strip_lead(text: str, owner: str | None) -> str:
    text = re.sub(r"^(ok|d'accord|parfait|super|top|bien reçu)\s*[,!.]\s*", "", text, flags=re.IGNORECASE)
    if owner:
        first = owner.split()[0]
        text = re.sub(rf"^{re.escape(first)}\s*,\s*", "", text)
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------------------------------
# Public function
# --------------------------------------------------------------------------------------------------
def _render(subject: str, participants: Sequence[str], count: int, points: Sequence[str], decisions: Sequence[str], actions: Sequence[Action]) -> str:
    lines = [f"Résumé du fil « {subject or 'sans objet'} » ({count} message{'s' if count > 1 else ''} ; {', '.join(participants)}).", "", "Points clés :"]
    lines += [f"- {point}" for point in points]
    lines += ["", "Décisions :"]
    lines += [f"- {decision}" for decision in decisions] or ["- Aucune décision explicite."]
    lines += ["", "Actions :"]
    lines += [f"- {action.as_text()}" for action in actions] or ["- Aucune action identifiée."]
    return "\n".join(lines)


#: Characters of thread text the summary reads, most recent messages first (the decisions are there).
SUMMARY_CHARS = 100_000


def _recent_within_budget(messages: list[ThreadMessage]) -> tuple[list[ThreadMessage], str | None]:
    """Keep the most recent messages within ``SUMMARY_CHARS`` (oldest first) and say what was left out."""
    kept: list[ThreadMessage] = []
    budget = SUMMARY_CHARS
    cut = False
    for message in reversed(messages):
        if budget <= 0:
            break
        if len(message.text) > budget:
            kept.append(replace(message, text=message.text[:budget]))
            cut, budget = True, 0
        else:
            kept.append(message)
            budget -= len(message.text)
    kept.reverse()
    left_out = len(messages) - len(kept)
    if not left_out and not cut:
        return kept, None
    parts = []
    if left_out:
        parts.append(f"les {left_out} message(s) les plus anciens n'ont pas été résumés")
    if cut:
        parts.append("un message trop long n'a été lu qu'en partie")
    return kept, f"Fil très long ({SUMMARY_CHARS // 1000} 000 caractères lus au plus) : " + " et ".join(parts) + "."


def _to_messages(thread: object) -> tuple[list[ThreadMessage], str]:
    if isinstance(thread, (str, bytes, EmailInput, ParsedEmail)):
        if isinstance(thread, (str, bytes)):
            check_size(thread)
        parsed = to_email(thread)  # type: ignore[arg-type]
        return split_thread(parsed), parsed.subject
    if isinstance(thread, Sequence):
        messages: list[ThreadMessage] = []
        subject = ""
        total = 0
        for item in thread:
            if isinstance(item, ThreadMessage):
                messages.append(item)
                total += len(item.text)
            else:
                parsed = to_email(item)
                subject = subject or parsed.subject
                messages.append(ThreadMessage(author=parsed.sender_name or parsed.sender_address, text=parsed.body, date=parsed.date))
                total += len(parsed.body)
            if total > 1_000_000:
                raise WritingError("Fil de discussion trop volumineux : plus de 1 Mo de texte. Résumez-le en plusieurs parties.")
        return messages, subject
    raise WritingError("Format de fil non reconnu : donnez un courriel brut ou une liste de messages.")


def summarize_thread(
    thread: str | bytes | EmailInput | ParsedEmail | Sequence[ThreadMessage | EmailInput | ParsedEmail | str],
    *,
    subject: str = "",
    voice: Voice | None = None,
    engine: LLMEngine | None = None,
    today: dt.date | None = None,
    max_points: int = 5,
) -> ThreadSummary:
    """Summarise a thread in 3–5 key points, its decisions and its actions (owners, due dates).

    ``today`` resolves relative dates of messages that have no date. Raises ``WritingError`` for an empty
    or over-large thread.
    """
    messages, found_subject = _to_messages(thread)
    subject = re.sub(r"^((re|tr|fwd?|fw)\s*:\s*)+", "", subject or found_subject, flags=re.IGNORECASE).strip()
    messages = [m for m in messages if m.text.strip()]
    if not messages:
        raise WritingError("Le fil de discussion est vide : aucun message à résumer.")
    messages, budget_note = _recent_within_budget(messages)
    voice = voice or DEFAULT_VOICE
    participants = _participants(messages)
    sentences = _candidate_sentences(messages)
    if not sentences:
        raise WritingError("Les messages sont trop courts pour être résumés (aucune phrase complète).")
    _score(sentences)
    limit = max(3, min(max_points, 5))
    points = _select_points(sentences, limit)
    decisions = [s for s in sentences if s.is_decision]
    actions: list[Action] = []
    for sentence in sentences:
        rhetorical = sentence.text.endswith("?") and not _ADDRESSED.search(fold(sentence.text))
        if not sentence.is_action or rhetorical:
            continue
        to = messages[sentence.message_index].to
        owner = _owner(sentence, participants, to)
        due = _due(sentence, today)
        actions.append(
            Action(
                what=truncate_words(_strip_lead(sentence.text, owner), 200),
                owner=owner,
                due=due.value if due else None,
                due_text=due.text if due else None,
                author=sentence.author,
            )
        )
    point_texts = [f"{s.author} : {truncate_words(s.text, 220)}" for s in points]
    decision_texts = [f"{s.author} : {truncate_words(s.text, 220)}" for s in decisions]
    text = _render(subject, participants, len(messages), point_texts, decision_texts, actions)
    transcript = "\n\n".join(
        f"[{m.author}{', ' + m.date.strftime('%d/%m/%Y %H:%M') if m.date else ''}]\n{truncate_words(m.text, 1500)}" for m in messages
    )
    prompt = (
        f"Résumez ce fil de courriels (objet : « {subject} ») en français : trois à cinq points clés, puis les "
        "décisions prises, puis les actions à réaliser avec leur responsable et leur échéance. Citez uniquement "
        f"les noms, dates et montants présents dans les messages.\n\n{truncate_words(transcript, 6000)}"
    )
    facts = {"Objet": subject, "Nombre de messages": len(messages), "Participants": participants, "Messages": [m.text for m in messages],
             "Dates des messages": [m.date for m in messages if m.date], "Échéances": [a.due for a in actions if a.due]}
    draft = compose(
        ComposeRequest(
            feature="writing.thread_summary",
            template_text=text,
            prompt=prompt,
            system=system_prompt(voice, "Vous résumez des échanges de courriels pour le dirigeant de l'entreprise."),
            facts=facts,
            max_tokens=400,
            check_address=False,  # the summary quotes people: their "vous"/"tu" are theirs
        ),
        voice=voice,
        engine=engine,
    )
    if budget_note:
        draft = replace(draft, warnings=(budget_note, *draft.warnings))
    return ThreadSummary(
        subject=subject,
        participants=tuple(participants),
        messages=len(messages),
        points=tuple(point_texts),
        decisions=tuple(decision_texts),
        actions=tuple(actions),
        draft=draft,
    )
