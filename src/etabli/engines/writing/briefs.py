"""Job ads and blog outlines from a short brief (guide ch. 6.1 B and ch. 8 recruitment).

A brief is either structured (``JobBrief`` / ``BlogBrief``) or one line of text ("Menuisier poseur, CDI,
Lyon, 3 ans d'expérience, permis B, 2 300 € brut par mois") read by small rules. The template path
writes a complete ad (title with "(H/F)", company, missions, profile, conditions, how to apply) or a
full outline (SEO title, meta description, H2/H3 plan with word budgets, FAQ, call to action) chosen by
the kind of topic ("comment choisir…", "5 conseils pour…", "X ou Y ?"). Nothing is invented: a
missing salary stays missing (with a tip), a missing mission list uses the trade's usual missions
flagged "à adapter", and the ad is checked for discriminatory criteria (Code du travail L1132-1,
L5321-2: age, sex, origin, family situation, appearance…) — recruitment is a high-risk AI use under the
AI Act (annex III §4): a person writes the final ad.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from etabli.engines.llm.guard import Voice
from etabli.engines.writing._compose import ComposeRequest, Draft, compose, facts_block, system_prompt
from etabli.engines.writing._text import capitalize_first, fold, resolve_address, truncate_words
from etabli.engines.writing._voice import DEFAULT_VOICE, signature_block
from etabli.engines.writing.errors import WritingError

if TYPE_CHECKING:
    from etabli.engines.llm import LLMEngine

MAX_BRIEF_CHARS = 5_000


def _check_brief_text(text: str, what: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise WritingError(f"Le brief est vide : décrivez en une phrase {what}.")
    if len(text) > MAX_BRIEF_CHARS:
        raise WritingError(f"Le brief est trop long ({len(text)} caractères) : un brief tient en quelques lignes (5 000 caractères au plus).")
    return " ".join(text.split())


# ==================================================================================================
# Job ads
# ==================================================================================================
@dataclass(frozen=True)
class JobBrief:
    """What the company says about the job; every field is optional except the title."""

    title: str
    contract: str = ""
    location: str = ""
    missions: tuple[str, ...] = ()
    profile: tuple[str, ...] = ()
    salary: str = ""
    start: str = ""
    hours: str = ""
    benefits: tuple[str, ...] = ()
    company: str = ""
    company_description: str = ""
    apply: str = ""


@dataclass(frozen=True)
class JobAd:
    title: str
    text: str
    brief: JobBrief
    draft: Draft
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def generated_by_ai(self) -> bool:
        return self.draft.generated_by_ai

    @property
    def label(self) -> str:
        return self.draft.label


_CONTRACT = re.compile(
    r"\b(CDI|CDD(?:\s+de\s+\d+\s+mois)?|alternance|apprentissage|contrat de professionnalisation|stage(?:\s+de\s+\d+\s+(?:mois|semaines))?"
    r"|int[ée]rim|freelance|ind[ée]pendant|saisonnier|temps partiel|temps plein)\b",
    re.IGNORECASE,
)
_SALARY = re.compile(r"(?:(?:de|entre)\s+)?\d[\d\s ]*(?:[.,]\d+)?\s*(?:k\s*)?€(?:\s*(?:à|et|-)\s*\d[\d\s ]*(?:[.,]\d+)?\s*(?:k\s*)?€)?(?:\s*(?:brut|net)s?)?(?:\s*(?:par|/)\s*(?:mois|an|heure|h))?(?:\s*(?:brut|net)s?)?", re.IGNORECASE)
_LOCATION = re.compile(r"(?:\bà|\bsur|\bbasé(?:e)? à|\bsecteur(?: de)?)\s+([A-ZÉÈ][\w'\-]+(?:[\s\-][A-ZÉÈ][\w'\-]+)*)")
_START = re.compile(r"\b(?:début|dès|à partir d[eu]|prise de poste)\s+[^,;.]+", re.IGNORECASE)
_HOURS = re.compile(r"\b\d{2}\s*h(?:eures)?(?:\s*(?:par|/)\s*semaine|\s*hebdo\w*)?|\btemps (?:plein|partiel)\b", re.IGNORECASE)
_GENDER_MARK = re.compile(r"\s*\(?\b(?:H\s*/\s*F|F\s*/\s*H|h/f|f/h)\b\)?", re.IGNORECASE)


def parse_job_brief(text: str, *, company: str = "") -> JobBrief:
    """Read a one-line brief: the first segment is the title, then contract, place, salary, profile.

    "Menuisier poseur H/F, CDI, Lyon, 3 ans d'expérience, permis B, 2 300 € brut par mois, début janvier"
    """
    text = _check_brief_text(text, "le poste (intitulé, contrat, lieu, profil)")
    segments = [segment.strip(" .") for segment in re.split(r"[,;\n]|\s+-\s+", text) if segment.strip(" .")]
    title = _GENDER_MARK.sub("", segments[0]).strip() if segments else ""
    contract = salary = location = start = hours = ""
    profile: list[str] = []
    missions: list[str] = []
    for segment in segments[1:]:
        folded = fold(segment)
        if not contract and (match := _CONTRACT.search(segment)) and len(segment) < 40:
            contract = match.group(1)
            if match.group(0).strip() == segment:
                continue
        if not salary and (match := _SALARY.search(segment)) and "€" in segment:
            salary = match.group(0).strip()
            continue
        if not start and (match := _START.search(segment)):
            start = match.group(0).strip()
            continue
        if not hours and (match := _HOURS.search(segment)) and match.group(0).strip() == segment.strip():
            hours = segment
            continue
        if not location and (match := _LOCATION.search(segment)):
            location = match.group(1)
            continue
        if not location and re.fullmatch(r"[A-ZÉÈ][\w'\-]+(?:[\s\-][A-ZÉÈ][\w'\-]+)*(?:\s*\(\d{2,5}\))?", segment) and not _CONTRACT.fullmatch(segment):
            location = segment
            continue
        if folded.startswith(("mission", "vous ", "tu ", "pose", "fabrication", "accueil", "vente", "gestion", "entretien", "livraison")):
            missions.append(segment)
        elif segment.strip() and not _CONTRACT.fullmatch(segment):
            profile.append(segment)
    if not contract and (match := _CONTRACT.search(text)):
        contract = match.group(1)
    if not title:
        raise WritingError("Le brief doit commencer par l'intitulé du poste (par exemple « Menuisier poseur »).")
    return JobBrief(title=title, contract=contract, location=location, missions=tuple(missions), profile=tuple(profile),
                    salary=salary, start=start, hours=hours, company=company)


# Usual missions by trade (numbers-free, to adapt): a starting point the owner edits, flagged as such.
_MISSIONS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("menuis", "ebenist", "agenceur"), ("Fabriquer en atelier des ouvrages sur mesure à partir de plans", "Poser les menuiseries chez les clients dans le respect des règles de l'art", "Assurer les finitions et le contrôle qualité", "Entretenir les machines et l'outillage")),
    (("plomb", "chauffag"), ("Installer et raccorder les équipements sanitaires et de chauffage", "Diagnostiquer et réparer les pannes et les fuites", "Assurer l'entretien des installations", "Conseiller les clients sur place")),
    (("electric",), ("Réaliser les installations électriques neuves et en rénovation", "Mettre aux normes les tableaux et les circuits", "Diagnostiquer les pannes", "Rédiger les comptes rendus d'intervention")),
    (("vend", "conseill", "commercial"), ("Accueillir et conseiller la clientèle", "Assurer la vente et l'encaissement", "Mettre en rayon et soigner la présentation du magasin", "Participer aux inventaires")),
    (("serveu", "cuisin", "commis", "plongeu", "barman"), ("Préparer et dresser les plats ou assurer le service en salle", "Respecter les règles d'hygiène et de sécurité alimentaire", "Participer à la mise en place et au rangement", "Contribuer à la bonne ambiance de l'équipe")),
    (("boulang", "patiss"), ("Préparer les pâtes et assurer la cuisson des produits", "Respecter les recettes de la maison et les règles d'hygiène", "Participer à la mise en place de la vitrine")),
    (("assistant", "secretaire", "administratif", "comptab"), ("Assurer l'accueil téléphonique et le suivi du courrier", "Préparer les devis, factures et relances", "Classer et archiver les documents", "Suivre les plannings et les rendez-vous")),
    (("chauffeur", "livreu"), ("Charger et livrer les marchandises chez les clients", "Vérifier les bons de livraison", "Entretenir le véhicule")),
    (("coiff", "esthetic"), ("Accueillir et conseiller la clientèle", "Réaliser les prestations dans le respect des protocoles", "Entretenir le salon et le matériel")),
)

_DISCRIMINATION: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(jeune|moins de \d+ ans|plus de \d+ ans|age (?:de|entre|maximum|minimum)|agee? de|senior|junior de moins)\b"), "l'âge"),
    (re.compile(r"\b(un homme|une femme|masculin|feminin|sexe)\b"), "le sexe"),
    (re.compile(r"\b(nationalite|origine|francais de souche|langue maternelle)\b"), "l'origine ou la nationalité"),
    (re.compile(r"\b(celibataire|marie|sans enfant|situation de famille|enceinte|grossesse)\b"), "la situation de famille"),
    (re.compile(r"\b(bonne presentation|physique agreable|apparence|taille minimum|poids)\b"), "l'apparence physique"),
    (re.compile(r"\b(religion|croyance|syndiqu|opinion politique|orientation sexuelle)\b"), "les convictions ou la vie privée"),
    (re.compile(r"\b(pas de handicap|valide physiquement|en bonne sante)\b"), "l'état de santé ou le handicap"),
)


def discrimination_warnings(text: str) -> list[str]:
    """French warnings for criteria a job ad may not state (Code du travail L1132-1 and L5321-2)."""
    folded = fold(_GENDER_MARK.sub(" ", text))
    warnings = []
    for pattern, criterion in _DISCRIMINATION:
        match = pattern.search(folded)
        if match:
            warnings.append(
                f"Critère discriminatoire possible ({criterion}) : « {match.group(0)} ». Une offre d'emploi ne peut "
                "pas le mentionner (Code du travail, art. L1132-1 et L5321-2) : reformulez en compétences."
            )
    return warnings


def _default_missions(title: str) -> tuple[str, ...]:
    words = fold(title).split()
    for prefixes, missions in _MISSIONS:
        if any(word.startswith(prefixes) for word in words):
            return missions
    return ()


def _bullets(items: Sequence[str]) -> str:
    return "\n".join(f"- {capitalize_first(item.strip().rstrip('.'))}" for item in items if item.strip())


def _contract_text(contract: str) -> str:
    """"cdd de 6 mois" → "CDD de 6 mois", "Alternance" → "alternance" (acronyms upper-case, words lower)."""
    text = contract.strip()
    text = text[:1].lower() + text[1:] if not text[:3].isupper() else text
    return re.sub(r"\b(cdi|cdd)\b", lambda m: m.group(1).upper(), text, flags=re.IGNORECASE)


def _lower_title(title: str) -> str:
    """"Menuisier poseur" → "menuisier poseur" for use inside a sentence ("recrute : menuisier poseur")."""
    first = title.split()[0] if title.split() else ""
    if first[:1].isupper() and first[1:].islower():
        return first.lower() + title[len(first):]
    return title


def job_ad_title(brief: JobBrief) -> str:
    parts = [f"{capitalize_first(brief.title.strip())} (H/F)"]
    if brief.contract:
        parts.append(_contract_text(brief.contract))
    if brief.location:
        parts.append(brief.location)
    return " – ".join(parts)


def template_job_ad(brief: JobBrief, voice: Voice) -> tuple[str, list[str]]:
    """The ad as plain text with headed sections, and French notes on what to complete."""
    notes: list[str] = []
    company = brief.company or voice.company
    intro_company = company or "Notre entreprise"
    where = f", à {brief.location}," if brief.location else ""
    lines = [job_ad_title(brief), ""]
    about = brief.company_description.strip()
    lines += ["Qui sommes-nous ?", about if about else f"{intro_company}{where} recrute : {_lower_title(brief.title.strip())} (H/F).", ""]
    if not about:
        notes.append("Ajoutez deux phrases de présentation de l'entreprise (activité, équipe, valeurs) : les candidats les lisent en premier.")
    missions = brief.missions or _default_missions(brief.title)
    if missions:
        lines += [resolve_address("<<Vos|Tes>> missions", voice.address), _bullets(missions), ""]
        if not brief.missions:
            notes.append("Missions proposées d'après le métier : adaptez-les au poste réel.")
    else:
        lines += [resolve_address("<<Vos|Tes>> missions", voice.address), "- [à compléter : trois à cinq missions principales]", ""]
        notes.append("Aucune mission indiquée : complétez la liste des missions.")
    profile = list(brief.profile) or ["[à compléter : compétences, diplôme ou expérience attendus]"]
    lines += [resolve_address("<<Votre|Ton>> profil", voice.address), _bullets(profile), ""]
    conditions = []
    if brief.contract:
        conditions.append(f"Contrat : {_contract_text(brief.contract)}")
    if brief.hours:
        conditions.append(f"Temps de travail : {brief.hours}")
    if brief.salary:
        conditions.append(f"Rémunération : {brief.salary}")
    else:
        notes.append("Aucune rémunération indiquée : une fourchette de salaire augmente nettement le nombre de candidatures.")
    if brief.start:
        conditions.append(f"Prise de poste : {brief.start[:1].lower() + brief.start[1:]}")
    if brief.location:
        conditions.append(f"Lieu : {brief.location}")
    conditions += list(brief.benefits)
    lines += ["Conditions", _bullets(conditions) if conditions else "- [à compléter : contrat, horaires, rémunération]", ""]
    apply = brief.apply.strip() or "[à compléter : adresse e-mail ou téléphone]"
    lines += ["Pour postuler", resolve_address(f"<<Envoyez|Envoie>> <<votre|ton>> CV et quelques mots sur <<vos|tes>> motivations : {apply}.", voice.address)]
    lines += ["", "Poste ouvert à toutes et à tous, y compris aux personnes en situation de handicap."]
    signature = signature_block(voice)
    if signature:
        lines += ["", signature]
    return "\n".join(lines).strip(), notes


def write_job_ad(
    brief: JobBrief | str,
    *,
    voice: Voice | None = None,
    engine: LLMEngine | None = None,
    company: str = "",
) -> JobAd:
    """A complete job ad from a structured or one-line brief; empty brief → ``WritingError``."""
    voice = voice or DEFAULT_VOICE
    if isinstance(brief, str):
        brief = parse_job_brief(brief, company=company)
    else:
        _check_brief_text(brief.title, "le poste (intitulé, contrat, lieu, profil)")
        if company and not brief.company:
            brief = replace(brief, company=company)
    text, notes = template_job_ad(brief, voice)
    brief_text = " ".join([brief.title, brief.contract, brief.location, *brief.missions, *brief.profile, brief.salary, brief.start, brief.hours, *brief.benefits, brief.company_description])
    legal = discrimination_warnings(brief_text)
    facts = {
        "Poste": brief.title, "Contrat": brief.contract, "Lieu": brief.location, "Missions": list(brief.missions or _default_missions(brief.title)),
        "Profil": list(brief.profile), "Rémunération": brief.salary, "Prise de poste": brief.start, "Horaires": brief.hours,
        "Avantages": list(brief.benefits), "Entreprise": brief.company or voice.company, "Présentation": brief.company_description,
        "Candidature": brief.apply, "Signature": signature_block(voice),
        "Vocabulaire de l'annonce": "CV H/F",
    }
    prompt = (
        "Rédigez une offre d'emploi claire et attractive en français, avec ces parties : qui sommes-nous, missions, "
        "profil, conditions, pour postuler. L'intitulé se termine par « (H/F) ». Aucun critère d'âge, de sexe, "
        "d'origine, de situation familiale ou d'apparence (Code du travail). N'indiquez un salaire que s'il est fourni.\n\n"
        f"Informations :\n{facts_block(facts)}"
    )
    draft = compose(
        ComposeRequest(
            feature="writing.job_ad", template_text=text, prompt=prompt,
            system=system_prompt(voice, "Vous rédigez des offres d'emploi pour une petite entreprise."),
            facts=facts, max_tokens=600,
        ),
        voice=voice,
        engine=engine,
    )
    legal += [w for w in discrimination_warnings(draft.text) if w not in legal]
    draft = replace(draft, warnings=tuple(dict.fromkeys([*legal, *notes, *draft.warnings])))
    return JobAd(title=job_ad_title(brief), text=draft.text, brief=brief, draft=draft, warnings=draft.warnings)


# ==================================================================================================
# Blog outlines
# ==================================================================================================
@dataclass(frozen=True)
class BlogBrief:
    topic: str
    audience: str = ""
    keywords: tuple[str, ...] = ()
    length_words: int = 800
    call_to_action: str = ""
    company: str = ""


@dataclass(frozen=True)
class OutlineSection:
    heading: str
    points: tuple[str, ...]
    words: int


@dataclass(frozen=True)
class BlogOutline:
    seo_title: str
    meta_description: str
    slug: str
    h1: str
    sections: tuple[OutlineSection, ...]
    faq: tuple[str, ...]
    text: str
    brief: BlogBrief
    draft: Draft

    @property
    def generated_by_ai(self) -> bool:
        return self.draft.generated_by_ai

    @property
    def label(self) -> str:
        return self.draft.label


_NUMBER_WORDS = {"trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10}


def parse_blog_brief(text: str, *, company: str = "") -> BlogBrief:
    """"Comment choisir ses lunettes selon la forme de son visage, 800 mots, public : grand public,
    mots-clés : lunettes, visage" → a ``BlogBrief``."""
    text = _check_brief_text(text, "le sujet de l'article")
    length = 800
    if match := re.search(r"(\d{3,4})\s*mots", text):
        length = int(match.group(1))
        text = (text[: match.start()] + text[match.end() :]).strip(" ,.;")
    keywords: tuple[str, ...] = ()
    if match := re.search(r"mots?[- ]cl[ée]s?\s*:\s*([^.;\n]+)", text, re.IGNORECASE):
        keywords = tuple(k.strip() for k in re.split(r",|/", match.group(1)) if k.strip())
        text = (text[: match.start()] + text[match.end() :]).strip(" ,.;")
    audience = ""
    if match := re.search(r"(?:public|cible|pour les?)\s*:\s*([^,.;\n]+)", text, re.IGNORECASE):
        audience = match.group(1).strip()
        text = (text[: match.start()] + text[match.end() :]).strip(" ,.;")
    cta = ""
    if match := re.search(r"(?:cta|appel à l'action)\s*:\s*([^.;\n]+)", text, re.IGNORECASE):
        cta = match.group(1).strip()
        text = (text[: match.start()] + text[match.end() :]).strip(" ,.;")
    topic = text.strip(" ,.;:\"«»")
    if not topic:
        raise WritingError("Le brief ne contient pas de sujet : indiquez le thème de l'article.")
    if not 200 <= length <= 5000:
        raise WritingError(f"Longueur d'article irréaliste : {length} mots (entre 200 et 5 000).")
    return BlogBrief(topic=topic, audience=audience, keywords=keywords, length_words=length, call_to_action=cta, company=company)


def _topic_kind(topic: str) -> tuple[str, str, int]:
    """("choose" | "howto" | "list" | "why" | "versus" | "guide", subject, count)."""
    folded = fold(topic)
    if match := re.match(r"(\d{1,2}|trois|quatre|cinq|six|sept|huit|neuf|dix)\s+(.+)", folded):
        count = int(match.group(1)) if match.group(1).isdigit() else _NUMBER_WORDS[match.group(1)]
        return "list", topic[match.start(2):], max(2, min(count, 10))
    if match := re.match(r"(comment (?:bien )?choisir|bien choisir|choisir)\s+(.+)", folded):
        return "choose", topic[match.start(2):], 0
    if match := re.match(r"comment\s+(.+)", folded):
        return "howto", topic[match.start(1):], 0
    if match := re.match(r"pourquoi\s+(.+)", folded):
        return "why", topic[match.start(1):], 0
    if match := re.search(r"(.+?)\s+(?:ou|vs\.?|versus|contre)\s+(.+?)\s*\??$", folded):
        return "versus", topic, 0
    return "guide", topic, 0


def _sections(kind: str, subject: str, topic: str, count: int, voice: Voice) -> list[tuple[str, tuple[str, ...]]]:
    subject = subject.strip(" ?")
    if kind == "choose":
        return [
            (f"Pourquoi bien choisir {subject} ?", ("Les enjeux : confort, durabilité, budget", "Les erreurs fréquentes et leurs conséquences")),
            ("Les critères essentiels", ("Usage et besoins", "Matériaux et qualité", "Budget et rapport qualité-prix", "Entretien et durée de vie")),
            ("Les erreurs à éviter", ("Choisir sur le seul prix", "Négliger l'entretien", "Oublier les contraintes de pose ou d'usage")),
            ("Nos conseils de professionnel", ("Ce que nous recommandons selon les situations [exemples réels à insérer]", "Quand demander conseil en magasin ou à l'atelier")),
        ]
    if kind == "howto":
        return [
            ("Ce qu'il faut savoir avant de commencer", ("Les prérequis", "Le temps et le budget à prévoir [à compléter]")),
            ("Le matériel nécessaire", ("Liste du matériel", "Les équipements de sécurité")),
            ("Étape par étape", ("Étape 1 : préparation", "Étape 2 : réalisation", "Étape 3 : finitions et vérification")),
            ("Les erreurs courantes", ("Ce qui fait échouer le plus souvent", "Comment les éviter")),
            ("Quand faire appel à un professionnel ?", ("Les signes qu'il vaut mieux déléguer", "Ce que le professionnel garantit")),
        ]
    if kind == "list":
        return [(f"{index}. [à compléter : idée n° {index}]", ("Explication concrète", "Exemple ou astuce")) for index in range(1, count + 1)]
    if kind == "why":
        return [
            ("Le contexte", (f"De quoi parle-t-on : {subject}", "Pourquoi la question se pose aujourd'hui")),
            ("Les avantages", ("Avantage principal", "Avantages secondaires", "Pour qui c'est le plus intéressant")),
            ("Les limites et points de vigilance", ("Ce qu'il faut savoir avant de se lancer", "Les idées reçues")),
            ("Le témoignage", ("Un cas client réel [à insérer avec son accord]",)),
        ]
    if kind == "versus":
        parts = re.split(r"\s+(?:ou|vs\.?|versus|contre)\s+", topic.strip(" ?"), maxsplit=1, flags=re.IGNORECASE)
        first, second = (parts + [""])[:2]
        first = re.sub(r"^(faut-il choisir|choisir entre|choisir)\s+", "", first, flags=re.IGNORECASE).strip()
        return [
            (f"{capitalize_first(first)} : points forts et limites", ("Avantages", "Inconvénients", "Prix indicatif [à compléter]")),
            (f"{capitalize_first(second)} : points forts et limites", ("Avantages", "Inconvénients", "Prix indicatif [à compléter]")),
            ("Le comparatif en un coup d'œil", ("Tableau : durabilité, entretien, esthétique, budget",)),
            ("Lequel choisir selon <<votre|ta>> situation ?", ("Cas 1", "Cas 2", "Notre recommandation")),
        ]
    return [
        (f"{capitalize_first(subject)} : de quoi parle-t-on ?", ("Définition simple", "À qui cela s'adresse")),
        ("Les points clés à connaître", ("Point clé 1", "Point clé 2", "Point clé 3")),
        ("Conseils pratiques", ("Ce que l'on peut faire soi-même", "Ce qui demande un professionnel")),
        ("Les erreurs à éviter", ("Erreur fréquente 1", "Erreur fréquente 2")),
    ]


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:80]


def _faq(kind: str, subject: str) -> tuple[str, ...]:
    subject = subject.strip(" ?")
    if kind == "choose":
        return (f"Quel budget prévoir pour {subject} ?", "Quelle durée de vie peut-on attendre ?", "Faut-il faire appel à un professionnel ?")
    if kind == "howto":
        return ("Combien de temps faut-il prévoir ?", "Peut-on le faire soi-même ?", "Quelles sont les précautions de sécurité ?")
    return ("Que faut-il retenir en priorité ?", "Combien cela coûte-t-il ?", "À qui s'adresser pour être conseillé ?")


def outline_blog_post(
    brief: BlogBrief | str,
    *,
    voice: Voice | None = None,
    engine: LLMEngine | None = None,
    company: str = "",
) -> BlogOutline:
    """A ready-to-write outline: SEO title, meta description, slug, H1, H2 sections with points and word
    budgets, FAQ and call to action. Empty brief → ``WritingError``."""
    voice = voice or DEFAULT_VOICE
    if isinstance(brief, str):
        brief = parse_blog_brief(brief, company=company or voice.company)
    else:
        _check_brief_text(brief.topic, "le sujet de l'article")
    kind, subject, count = _topic_kind(brief.topic)
    topic = capitalize_first(brief.topic.strip().rstrip("."))
    raw_sections = _sections(kind, subject, brief.topic, count, voice)
    body_words = int(brief.length_words * 0.8)
    per_section = max(60, body_words // max(len(raw_sections), 1))
    keywords = list(brief.keywords)
    sections: list[OutlineSection] = []
    for index, (heading, points) in enumerate(raw_sections):
        extra = (f"Placer le mot-clé « {keywords[index]} »",) if index < len(keywords) else ()
        sections.append(OutlineSection(resolve_address(heading, voice.address), tuple(resolve_address(p, voice.address) for p in points) + extra, per_section))
    company_name = brief.company or voice.company
    seo_title = topic if len(topic) <= 60 else truncate_words(topic, 60)
    if company_name and len(seo_title) + len(company_name) + 3 <= 60:
        seo_title = f"{seo_title} | {company_name}"
    audience = brief.audience or "grand public"
    help_you = "vous aider" if voice.address == "vous" else "t'aider"
    by_company = f" {company_name}" if company_name else ""
    meta = truncate_words(f"{topic.rstrip(' ?')} : les conseils de professionnel{by_company} pour {help_you} à faire le bon choix.", 155)
    faq = _faq(kind, subject)
    cta = brief.call_to_action or resolve_address(f"<<Contactez-nous|Contacte-nous>> pour un conseil ou un devis{(' chez ' + company_name) if company_name else ''}.", voice.address)
    lines = [
        f"Titre SEO : {seo_title}",
        f"Méta-description : {meta}",
        f"Adresse (slug) : /{_slug(brief.topic)}",
        f"Public : {audience} — longueur visée : {brief.length_words} mots",
        "",
        f"# {topic}",
        "",
        f"Introduction (environ {int(brief.length_words * 0.1)} mots) : accroche, question du lecteur, ce que l'article apporte.",
    ]
    for section in sections:
        lines += ["", f"## {section.heading} (environ {section.words} mots)"]
        lines += [f"- {point}" for point in section.points]
    lines += ["", "## Questions fréquentes"] + [f"- {question}" for question in faq]
    lines += ["", f"## Conclusion (environ {int(brief.length_words * 0.1)} mots)", "- Résumer les points essentiels", f"- Appel à l'action : {cta}"]
    if keywords[len(sections):]:
        lines += ["", "Mots-clés à placer aussi : " + ", ".join(keywords[len(sections):])]
    text = "\n".join(lines)
    facts = {"Vocabulaire du plan": "SEO FAQ", "Sujet": brief.topic, "Public": audience, "Longueur": brief.length_words, "Mots-clés": keywords, "Entreprise": company_name,
             "Appel à l'action": cta, "Budgets de mots": [brief.length_words * 0.1, per_section, count]}
    prompt = (
        f"Proposez le plan détaillé d'un article de blog de {brief.length_words} mots sur « {brief.topic} » pour un public {audience}. "
        "Donnez : un titre SEO de 60 caractères au plus, une méta-description de 155 caractères au plus, puis les "
        "intertitres (##) avec deux ou trois points chacun, une FAQ et une conclusion avec un appel à l'action."
        + (f" Mots-clés : {', '.join(keywords)}." if keywords else "")
    )
    draft = compose(
        ComposeRequest(
            feature="writing.blog_outline", template_text=text, prompt=prompt,
            system=system_prompt(voice, "Vous aidez une petite entreprise à écrire des articles de blog utiles et bien référencés."),
            facts=facts, max_tokens=600,
        ),
        voice=voice,
        engine=engine,
    )
    return BlogOutline(seo_title=seo_title, meta_description=meta, slug=_slug(brief.topic), h1=topic,
                       sections=tuple(sections), faq=faq, text=draft.text, brief=brief, draft=draft)
