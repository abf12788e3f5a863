"""Who sent this document? Rank the company's known customers and suppliers for one document.

Why identifiers before names: a SIRET, a VAT number or an IBAN read on the document (and confirmed by
its checksum in the extraction engine) designates one company for sure, while names vary (« EDF »,
« Électricité de France », « EDF Entreprises ») and collide (two « Martin »). So exact identifiers rank
first, each with its own confidence, and names are compared only for the partners no identifier matched,
with rapidfuzz on cleaned names (legal forms and accents removed). A name that matches a partner whose
SIREN differs from the one on the document is kept but heavily discounted: it is the usual trap of two
companies with the same trade name.

Identifiers are linked: a SIRET starts with the SIREN, and a French VAT number holds it
(« FR » + key + SIREN), so a VAT number on the document finds a partner known only by its SIRET.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz
from stdnum import iban as std_iban
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret
from stdnum.fr import tva as fr_tva

from etabli.engines.classify.errors import ClassifyError
from etabli.engines.matching.text import clean_name

MatchMethod = Literal["siret", "vat", "siren", "iban", "name"]

#: Confidence of each identifier match (the checksum failing takes INVALID_PENALTY off).
IDENTIFIER_CONFIDENCE: dict[str, float] = {"siret": 0.99, "vat": 0.98, "siren": 0.97, "iban": 0.95}
INVALID_PENALTY = 0.1
#: An IBAN shared by several partners (a factoring company, a group's treasury) says less.
SHARED_IBAN_CONFIDENCE = 0.7
#: Name similarity (0–100) under which a partner is not proposed at all.
MIN_NAME_SCORE = 80.0
_IDENTIFIER_LABELS = {"siret": "SIRET", "vat": "N° de TVA", "siren": "SIREN", "iban": "IBAN"}
_METHOD_RANK = {"siret": 0, "vat": 1, "siren": 2, "iban": 3, "name": 4}


@dataclass(frozen=True)
class KnownPartner:
    """A customer or supplier the company already has, with what identifies it."""

    id: str | int
    name: str
    siren: str | None = None
    sirets: tuple[str, ...] = ()
    vat_numbers: tuple[str, ...] = ()
    ibans: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartnerEvidence:
    """What the document says about its issuer (from the extraction engine); all optional."""

    name: str = ""
    siren: str = ""
    siret: str = ""
    vat_number: str = ""
    iban: str = ""


@dataclass(frozen=True)
class CorrespondentMatch:
    """One candidate partner for a document, with a confidence 0–1 and the French reason."""

    partner_id: str | int
    name: str
    confidence: float
    method: MatchMethod
    reason: str


def _digits(value: str | None) -> str:
    return "".join(char for char in (value or "") if char.isdigit())


def _compact(value: str | None) -> str:
    return "".join(char for char in (value or "") if char.isalnum()).upper()


def _siren_of_vat(vat: str) -> str:
    """The SIREN inside a French VAT number (« FR60421938861 » → « 421938861 »), else ""."""
    if vat.startswith("FR") and len(vat) == 13 and vat[4:].isdigit():
        return vat[4:]
    return ""


@dataclass
class _Evidence:
    siren: str
    siret: str
    vat: str
    iban: str
    name: str
    valid: dict[str, bool]


def _read_evidence(evidence: PartnerEvidence) -> _Evidence:
    if not isinstance(evidence, PartnerEvidence):
        raise ClassifyError("Les informations sur l'émetteur doivent être un PartnerEvidence.")
    siret = _digits(evidence.siret)
    vat = _compact(evidence.vat_number)
    siren = _digits(evidence.siren) or siret[:9] or _siren_of_vat(vat)
    iban = _compact(evidence.iban)
    valid = {
        "siret": bool(siret) and fr_siret.is_valid(siret),
        "vat": bool(vat) and (fr_tva.is_valid(vat) if vat.startswith("FR") else len(vat) >= 8),
        "siren": bool(siren) and fr_siren.is_valid(siren),
        "iban": bool(iban) and std_iban.is_valid(iban),
    }
    return _Evidence(siren=siren, siret=siret, vat=vat, iban=iban, name=evidence.name or "", valid=valid)


class CorrespondentMatcher:
    """The company's partners indexed by identifier and cleaned name; reuse it for many documents."""

    def __init__(self, partners: Iterable[KnownPartner]) -> None:
        self.partners: list[KnownPartner] = list(partners)
        self._by_siret: dict[str, set[int]] = defaultdict(set)
        self._by_vat: dict[str, set[int]] = defaultdict(set)
        self._by_siren: dict[str, set[int]] = defaultdict(set)
        self._by_iban: dict[str, set[int]] = defaultdict(set)
        self._names: list[list[str]] = []
        self._sirens: list[set[str]] = []
        for index, partner in enumerate(self.partners):
            if not isinstance(partner, KnownPartner):
                raise ClassifyError("Chaque partenaire connu doit être un KnownPartner.")
            sirens: set[str] = set()
            if _digits(partner.siren):
                sirens.add(_digits(partner.siren))
            for siret in partner.sirets:
                self._by_siret[_digits(siret)].add(index)
                sirens.add(_digits(siret)[:9])
            for vat in partner.vat_numbers:
                compact = _compact(vat)
                self._by_vat[compact].add(index)
                if _siren_of_vat(compact):
                    sirens.add(_siren_of_vat(compact))
            for siren in sirens:
                self._by_siren[siren].add(index)
            for iban in partner.ibans:
                self._by_iban[_compact(iban)].add(index)
            self._sirens.append(sirens)
            names = [clean_name(name) for name in (partner.name, *partner.aliases) if clean_name(name)]
            self._names.append(names)

    def match(self, evidence: PartnerEvidence, *, limit: int = 5) -> list[CorrespondentMatch]:
        """Candidates for one document, identifier matches first, then names; best first."""
        if limit < 1:
            raise ClassifyError("Le nombre de propositions doit être au moins 1.")
        read = _read_evidence(evidence)
        found: dict[int, CorrespondentMatch] = {}
        for method, index_map, value in (
            ("siret", self._by_siret, read.siret),
            ("vat", self._by_vat, read.vat),
            ("siren", self._by_siren, read.siren),
            ("iban", self._by_iban, read.iban),
        ):
            if not value:
                continue
            for index in index_map.get(value, ()):
                if index in found:
                    continue
                found[index] = self._identifier_match(
                    index, method, value, read, shared=len(index_map[value])
                )
        for index, match in self._name_matches(read, exclude=set(found)).items():
            found[index] = match
        ranked = sorted(
            found.values(), key=lambda m: (m.method == "name", -m.confidence, _METHOD_RANK[m.method])
        )
        return ranked[:limit]

    def _identifier_match(
        self, index: int, method: str, value: str, read: _Evidence, shared: int
    ) -> CorrespondentMatch:
        partner = self.partners[index]
        label = _IDENTIFIER_LABELS[method]
        confidence = IDENTIFIER_CONFIDENCE[method]
        reason = f"{label} {value} identique à celui de {partner.name}"
        if method == "iban" and shared > 1:
            confidence = SHARED_IBAN_CONFIDENCE
            reason = f"IBAN {value} connu pour {shared} partenaires, dont {partner.name}"
        if method == "iban" and read.siren and self._sirens[index] and read.siren not in self._sirens[index]:
            confidence = min(confidence, 0.6)
            reason += f", mais le SIREN du document ({read.siren}) est différent"
        if not read.valid.get(method, True):
            confidence -= INVALID_PENALTY
            reason += " (clé de contrôle du numéro lu invalide)"
        return CorrespondentMatch(partner.id, partner.name, round(confidence, 4), method, reason)  # type: ignore[arg-type]

    def _name_matches(self, read: _Evidence, exclude: set[int]) -> dict[int, CorrespondentMatch]:
        target = clean_name(read.name)
        if not target:
            return {}
        scored: list[tuple[float, int, str]] = []
        for index, names in enumerate(self._names):
            if index in exclude or not names:
                continue
            best, best_name = 0.0, names[0]
            for name in names:
                score = _name_score(target, name)
                if score > best:
                    best, best_name = score, name
            if best >= MIN_NAME_SCORE:
                scored.append((best, index, best_name))
        if not scored:
            return {}
        top = max(score for score, _index, _name in scored)
        close = sum(1 for score, _index, _name in scored if top - score <= 3.0)
        matches: dict[int, CorrespondentMatch] = {}
        for score, index, _name in scored:
            partner = self.partners[index]
            confidence = _name_confidence(score)
            reason = f"nom « {read.name.strip()} » proche de « {partner.name} » ({score:.0f}/100)"
            if close > 1 and top - score <= 3.0:
                confidence *= 0.8
                reason += f" ; {close} partenaires ont un nom proche"
            if read.siren and self._sirens[index] and read.siren not in self._sirens[index]:
                confidence *= 0.3
                reason += f", mais SIREN différent ({read.siren})"
            matches[index] = CorrespondentMatch(
                partner.id, partner.name, round(confidence, 4), "name", reason
            )
        return matches


def _name_score(document_name: str, partner_name: str) -> float:
    """0–100: whole-name similarity, or a name contained in the other (« EDF » in « EDF ENTREPRISES »)."""
    whole = fuzz.token_sort_ratio(document_name, partner_name)
    contained = fuzz.token_set_ratio(document_name, partner_name)
    shorter = min(len(document_name), len(partner_name))
    # A contained name counts when it is not a tiny word lost in a long name.
    containment = contained * (0.95 if shorter >= 3 else 0.0)
    return float(max(whole, containment))


def _name_confidence(score: float) -> float:
    """Name similarity 80–100 → confidence 0.45–0.9: a name alone never reaches an identifier's."""
    return round(0.45 + (min(score, 100.0) - MIN_NAME_SCORE) / (100.0 - MIN_NAME_SCORE) * 0.45, 4)


def match_correspondent(
    evidence: PartnerEvidence, partners: Sequence[KnownPartner], *, limit: int = 5
) -> list[CorrespondentMatch]:
    """Rank known partners for one document (see :class:`CorrespondentMatcher` for many documents)."""
    return CorrespondentMatcher(partners).match(evidence, limit=limit)
