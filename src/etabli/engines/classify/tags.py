"""Tag suggestions for a filed document: énergie, télécom, loyer, assurance, matériaux…

Why so simple: tags help the owner find and total expenses (« toutes mes factures d'énergie de 2025 »);
a wrong tag is cheap and shown as a suggestion. Three sources, most trusted first:

1. the owner's own history: the tags already given to documents of the same issuer;
2. the issuer's name against well-known French brands (EDF → énergie, Orange → télécom, Point P →
   matériaux);
3. keywords of the text (« kWh », « quittance de loyer », « police d'assurance »), with a confidence that
   grows with the number of distinct keywords found.

Keyword patterns are specific on purpose: « assurance chômage » on a payslip is not an insurance bill.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from etabli.engines.classify.errors import ClassifyError
from etabli.engines.classify.text import fold, fold_same_length
from etabli.engines.matching.text import clean_name

#: Lines of the text where a brand name counts when no issuer name is given (the letterhead).
HEADER_LINES = 12


@dataclass(frozen=True)
class TagRule:
    """A tag, the keywords that suggest it (folded text) and the brands that issue such documents."""

    tag: str
    keywords: re.Pattern[str]
    brands: re.Pattern[str] | None = None


def _tag(tag: str, keywords: str, brands: str | None = None) -> TagRule:
    return TagRule(tag, re.compile(keywords), re.compile(brands) if brands else None)


DEFAULT_TAG_RULES: tuple[TagRule, ...] = (
    _tag(
        "énergie",
        r"\bkwh\b|\belectricite\b|\bgaz naturel\b|point de livraison|\bpdl\b|\bpce\b|acheminement|\bturpe\b|contribution tarifaire|\bcompteur\b|puissance souscrite|\bkva\b|heures (pleines|creuses)",
        r"\b(edf|engie|totalenergies electricite|total direct energie|enedis|grdf|ekwateur|vattenfall|eni gas|mint energie|planete oui|ohm energie|electricite de strasbourg|gaz de bordeaux)\b",
    ),
    _tag(
        "télécom",
        r"forfait (mobile|internet|pro)|\bbox\b|\bfibre\b|\bligne fixe\b|communications? (hors forfait|nationales)|\bsms\b|\b4g\b|\b5g\b|\badsl\b|telephonie",
        r"\b(orange|sfr|bouygues telecom|free|free pro|sosh|red by sfr|ovh telecom|nordnet|coriolis)\b",
    ),
    _tag(
        "eau",
        r"consommation d'eau|\bm3\b|redevance (pollution|assainissement)|assainissement collectif",
        r"\b(veolia|suez|saur|eau de paris|eaux de marseille)\b",
    ),
    _tag(
        "loyer",
        r"\bloyer\b|quittance|charges locatives|provision pour charges|bail commercial|\bbailleur\b|\bfermage\b",
        r"\b(foncia|nexity|citya|sci [a-z]+)\b",
    ),
    _tag(
        "assurance",
        r"contrat d'assurance|police (d'assurance|n)|prime d'assurance|cotisation d'assurance|\bassureur\b|\bsinistre\b|responsabilite civile|multirisque|garantie decennale|attestation d'assurance|avis d'echeance",
        r"\b(axa|maaf|mma|allianz|groupama|macif|maif|generali|hiscox|smabtp|l'auxiliaire|matmut|swisslife|april)\b",
    ),
    _tag(
        "matériaux",
        r"\bciment\b|\bparpaing|\bplacoplatre|\bba13\b|\bplaque de platre|\bbeton\b|\bmortier\b|\bsable\b|\bgravier|\bbastaing|\bchevron|\bisolant|laine de (verre|roche)|\bcarrelage\b|\btuiles?\b|\bcuivre\b|\bper\b|\bcable r2v",
        r"\b(point p|leroy merlin|brico depot|castorama|gedimat|bigmat|big mat|cedeo|rexel|sonepar|tout faire|wurth|prolians|chausson materiaux|weldom|bricomarche|descours (et|&) cabaud|samse|doras)\b",
    ),
    _tag(
        "carburant",
        r"\bgazole\b|\bgasoil\b|\bsp ?95\b|\bsp ?98\b|\be10\b|\be85\b|\badblue\b|\bcarburant|\blitres?\b[^\n]{0,20}(gazole|sp)",
        r"\b(total access|station total|esso|shell|\bbp\b|avia|as24|dyneff)\b",
    ),
    _tag(
        "informatique",
        r"\blicence\b|\blogiciel|\bhebergement\b|\bnom de domaine\b|\bcloud\b|\bsaas\b|\bsubscription\b|\bserveur\b|\bordinateur\b|\bmaintenance informatique\b",
        r"\b(ovhcloud|ovh|microsoft|google|amazon web services|aws|adobe|apple|dell|ldlc|dropbox|slack|zoom|sage|pennylane|ionos|o2switch)\b",
    ),
    _tag(
        "honoraires",
        r"\bhonoraires\b|expert[- ]comptable|commissaire aux comptes|\bavocat\b|\bnotaire\b|\bhuissier\b|commissaire de justice",
    ),
    _tag(
        "social",
        r"cotisations sociales|\bdsn\b|retraite complementaire|\bprevoyance\b|\bmutuelle\b",
        r"\b(urssaf|msa|agirc[- ]arrco|malakoff humanis|ag2r|klesia|humanis|pro btp|harmonie mutuelle)\b",
    ),
    _tag(
        "impôts",
        r"cotisation fonciere|\bcfe\b|taxe fonciere|impot sur les societes|\btva (a payer|a decaisser)\b|avis d'impot|\bcvae\b",
        r"\b(dgfip|direction generale des finances publiques|service des impots|tresor public|impots\.gouv)\b",
    ),
    _tag(
        "transport",
        r"\btransporteur\b|frais de port|\bmessagerie\b|\baffretement\b|lettre de voiture|\bcolis\b",
        r"\b(la poste|chronopost|colissimo|dhl|ups|fedex|geodis|dpd|gls|db schenker|kuehne)\b",
    ),
    _tag(
        "déplacements",
        r"\bpeage\b|\bbillet\b|\bhotel\b|\bnuitee\b|\bvol\b|\btrain\b|\btaxi\b|\bvtc\b|\bparking\b",
        r"\b(sncf|air france|vinci autoroutes|sanef|aprr|uber|ulys|bip&go|ibis|accor)\b",
    ),
    _tag(
        "banque",
        r"frais (bancaires|de tenue de compte)|commission d'intervention|cotisation (carte|offre)|agios|interets debiteurs",
        r"\b(credit agricole|bnp paribas|societe generale|lcl|banque populaire|caisse d'epargne|credit mutuel|cic|la banque postale|qonto|shine)\b",
    ),
)


@dataclass(frozen=True)
class TagSuggestion:
    """A proposed tag, its confidence 0–1 and the French reason."""

    tag: str
    confidence: float
    reason: str


def _keyword_confidence(count: int) -> float:
    return {1: 0.55, 2: 0.7}.get(count, 0.8)


def suggest_tags(
    text: str,
    *,
    issuer_name: str = "",
    history: Mapping[str, Sequence[Sequence[str]]] | None = None,
    rules: Sequence[TagRule] = DEFAULT_TAG_RULES,
    max_tags: int = 3,
    min_confidence: float = 0.5,
) -> list[TagSuggestion]:
    """Tags for one document, most confident first.

    ``history`` maps issuer names to the tags of each of their past documents, e.g.
    ``{"EDF": [["énergie"], ["énergie", "atelier"]]}``; a tag given to at least half of an issuer's
    past documents is proposed with 0.9–0.95.
    """
    if not isinstance(text, str):
        raise ClassifyError("Le texte du document doit être une chaîne de caractères.")
    folded = fold_same_length(text)
    header = "\n".join(fold(text).split("\n")[:HEADER_LINES])
    issuer = fold(issuer_name) if issuer_name else ""
    best: dict[str, TagSuggestion] = {}

    def offer(suggestion: TagSuggestion) -> None:
        current = best.get(suggestion.tag)
        if current is None or suggestion.confidence > current.confidence:
            best[suggestion.tag] = suggestion

    for tag, count, total in _history_tags(issuer_name, history):
        reason = f"{count} de vos {total} documents précédents de {issuer_name} portent l'étiquette « {tag} »"
        offer(TagSuggestion(tag, round(0.9 + 0.05 * count / total, 4), reason))
    for rule in rules:
        if rule.brands is not None:
            where = issuer or header
            brand = rule.brands.search(where)
            if brand:
                source = f"émetteur {issuer_name}" if issuer else f"en-tête « {brand.group(0)} »"
                offer(TagSuggestion(rule.tag, 0.85 if issuer else 0.75, f"{source} : {rule.tag}"))
        found: dict[str, str] = {}
        for match in rule.keywords.finditer(folded):
            found.setdefault(match.group(0), text[match.start() : match.end()])
        if found:
            words = [found[key] for key in sorted(found)]
            quoted = ", ".join(f"« {word} »" for word in words[:3])
            offer(TagSuggestion(rule.tag, _keyword_confidence(len(words)), f"contient {quoted}"))
    ranked = sorted(
        (s for s in best.values() if s.confidence >= min_confidence), key=lambda s: (-s.confidence, s.tag)
    )
    return ranked[:max_tags]


def _history_tags(
    issuer_name: str, history: Mapping[str, Sequence[Sequence[str]]] | None
) -> list[tuple[str, int, int]]:
    """(tag, documents with it, documents) for the tags of at least half of the issuer's past documents."""
    if not history or not issuer_name:
        return []
    wanted = clean_name(issuer_name)
    documents: list[set[str]] = []
    for name, past in history.items():
        if clean_name(name) == wanted:
            documents.extend(set(tags) for tags in past)
    if not documents:
        return []
    counts: Counter[str] = Counter(tag for tags in documents for tag in tags)
    total = len(documents)
    return [(tag, count, total) for tag, count in counts.most_common() if count * 2 >= total]
