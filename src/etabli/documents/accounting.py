"""The purchase entry of a supplier invoice (PCG): debit 6xx per VAT rate and 44566, credit 401.

Pure functions (no database): the app gives the amounts, the supplier and what it knows of the supplier's
usual account; this module picks the expense account and writes balanced lines.

Expense account, most trusted first (guide ch. 10.5 « Scan/photo facture → Données extraites → Écriture
générée »):
1. the account this company booked for this supplier last time (learned from validated entries);
2. the nature of the purchase read in the supplier's name and the document (« bois » → 601, « loyer » → 613,
   « honoraires » → 6226…), with the bank-line categories of ``etabli.engines.matching`` as a second source;
3. the company's default expense account (606 unless changed).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from etabli.common.money import round_cents

ZERO = Decimal("0.00")
SUPPLIER_ACCOUNT = "401"
DEDUCTIBLE_VAT_ACCOUNT = "44566"
PURCHASES_JOURNAL = "HA"

ACCOUNT_LABELS = {
    "601": "Achats de matières premières",
    "602": "Achats d'autres approvisionnements",
    "604": "Achats d'études et prestations de services",
    "606": "Achats non stockés de matières et fournitures",
    "6061": "Fournitures non stockables (eau, énergie)",
    "6063": "Fournitures d'entretien et de petit équipement",
    "6064": "Fournitures administratives",
    "607": "Achats de marchandises",
    "611": "Sous-traitance générale",
    "612": "Redevances de crédit-bail",
    "6122": "Crédit-bail mobilier",
    "613": "Locations",
    "6132": "Locations immobilières",
    "615": "Entretien et réparations",
    "616": "Primes d'assurances",
    "618": "Divers (documentation, séminaires)",
    "6226": "Honoraires",
    "623": "Publicité, publications, relations publiques",
    "6231": "Annonces et insertions",
    "624": "Transports de biens",
    "625": "Déplacements, missions et réceptions",
    "6251": "Voyages et déplacements",
    "6257": "Réceptions",
    "626": "Frais postaux et de télécommunications",
    "627": "Services bancaires et assimilés",
    "628": "Divers (cotisations)",
    "635": "Autres impôts, taxes et versements assimilés",
    "651": "Redevances pour logiciels et licences",
}

#: (pattern on the folded text, account, what it says). First match wins; order from specific to general.
NATURE_RULES: tuple[tuple[str, str, str], ...] = (
    (r"\b(electricite|gaz naturel|kwh|fourniture d'energie|abonnement energie|eau potable|assainissement)\b",
     "6061", "énergie ou eau"),
    (r"\b(carburant|gazole|gasoil|sans plomb|sp95|sp98)\b", "6061", "carburant"),
    (r"\b(loyer|loyers|bail commercial|charges locatives)\b", "6132", "loyer"),
    (r"\b(credit[- ]bail|location longue duree|lld|leasing)\b", "6122", "crédit-bail ou location longue durée"),
    (r"\b(location|locations)\b", "613", "location"),
    (r"\b(assurance|assurances|prime d'assurance|cotisation d'assurance|multirisque)\b", "616", "assurance"),
    (r"\b(honoraires|expertise comptable|expert[- ]comptable|avocat|notaire|commissaire aux comptes)\b",
     "6226", "honoraires"),
    (r"\b(abonnement mobile|forfait mobile|telephone|telephonie|internet|fibre|box|telecom)\b", "626",
     "télécommunications"),
    (r"\b(affranchissement|timbres|la poste|colissimo)\b", "626", "frais postaux"),
    (r"\b(transport|transporteur|livraison|fret|messagerie|affretement)\b", "624", "transport"),
    (r"\b(publicite|annonce|insertion|impression de flyers|campagne)\b", "623", "publicité"),
    (r"\b(entretien|reparation|maintenance|depannage|revision)\b", "615", "entretien ou réparation"),
    (r"\b(sous[- ]traitance|sous[- ]traitant)\b", "611", "sous-traitance"),
    (r"\b(logiciel|licence|abonnement saas|saas|hebergement)\b", "651", "logiciel ou licence"),
    (r"\b(restaurant|repas|traiteur)\b", "6257", "réception"),
    (r"\b(hotel|billet de train|sncf|billet d'avion|peage|parking)\b", "6251", "déplacement"),
    (r"\b(papeterie|fournitures de bureau|cartouche|toner|ramette)\b", "6064", "fournitures administratives"),
    (r"\b(outillage|outil|outils|petit equipement|epi|consommables)\b", "6063", "petit équipement"),
    (r"\b(quincaillerie|visserie|ferrures|charnieres|serrures|vis|chevilles)\b", "602", "approvisionnements"),
    ((r"\b(bois|chene|hetre|sapin|douglas|pin|contreplaque|panneaux|mdf|agglomere|medium|parquet|vitrage|"
      r"double vitrage|verre|miroiterie|scierie|matieres premieres)\b"), "601", "matières premières"),
    (r"\b(marchandises|revente)\b", "607", "marchandises"),
)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").replace("’", "'"))
    return re.sub(r"\s+", " ", "".join(c for c in decomposed if not unicodedata.combining(c)).lower())


@dataclass(frozen=True)
class AccountChoice:
    account: str
    label: str
    confidence: float
    reason: str


def account_label(account: str) -> str:
    for length in range(len(account), 1, -1):
        label = ACCOUNT_LABELS.get(account[:length])
        if label:
            return label
    return "Charges"


def suggest_expense_account(*, supplier_name: str, text: str, known_account: str = "",
                            default_account: str = "606") -> AccountChoice:
    """The expense account for a purchase, with its confidence and the French reason."""
    if known_account:
        return AccountChoice(known_account, account_label(known_account), 0.95,
                             f"compte {known_account} utilisé pour ce fournisseur lors des dernières validations")
    folded_name = fold(supplier_name)
    for pattern, account, nature in NATURE_RULES:
        if re.search(pattern, folded_name):
            return AccountChoice(account, account_label(account), 0.85,
                                 f"le nom du fournisseur évoque : {nature} → compte {account}")
    category = _bank_category(supplier_name)
    if category is not None:
        return category
    folded = fold(text[:6000])
    for pattern, account, nature in NATURE_RULES:
        match = re.search(pattern, folded)
        if match:
            return AccountChoice(account, account_label(account), 0.7,
                                 f"le document mentionne « {match.group(0)} » ({nature}) → compte {account}")
    return AccountChoice(default_account, account_label(default_account), 0.4,
                         f"nature de l'achat non reconnue : compte par défaut {default_account}, à vérifier")


def _bank_category(supplier_name: str) -> AccountChoice | None:
    """The bank-line categoriser's default rules (EDF, URSSAF, assureurs…) applied to the supplier's name."""
    try:
        from etabli.engines.matching.categorize import Categorizer
        from etabli.engines.statements.model import StatementLine
    except ImportError:
        return None
    prediction = Categorizer().predict([StatementLine(date=date(2000, 1, 1), amount=Decimal(-1),
                                                      label=supplier_name)])[0]
    if prediction is None or not prediction.pcg_account.startswith("6"):
        return None
    return AccountChoice(prediction.pcg_account, account_label(prediction.pcg_account), 0.8,
                         f"fournisseur reconnu ({prediction.label}) → compte {prediction.pcg_account}")


def build_entry(
    *, entry_date: date, label: str, supplier_name: str, expense_account: str, total_ht: Decimal,
    total_tva: Decimal, total_ttc: Decimal, breakdown: list[dict], credit_note: bool = False,
    vat_deductible: bool = True, reference: str = "",
) -> dict:
    """Balanced entry lines (debit = credit) for one purchase invoice or credit note."""
    lines: list[dict] = []
    rows = [row for row in breakdown if row.get("base") not in (None, "") and row.get("vat") not in (None, "")]
    if rows and sum((Decimal(str(r["base"])) for r in rows), ZERO) == total_ht \
            and sum((Decimal(str(r["vat"])) for r in rows), ZERO) == total_tva:
        per_rate = [(Decimal(str(r["rate"])), round_cents(r["base"]), round_cents(r["vat"])) for r in rows]
    else:
        per_rate = [(None, total_ht, total_tva)]
    for rate, base, vat in per_rate:
        rate_text = f" (TVA {str(rate.normalize()).replace('.', ',')} %)" if rate is not None and len(per_rate) > 1 else ""
        if vat_deductible:
            lines.append({"account": expense_account, "label": f"{label}{rate_text}", "debit": base, "credit": ZERO})
            if vat:
                rate_label = f" {str(rate.normalize()).replace('.', ',')} %" if rate is not None else ""
                lines.append({"account": DEDUCTIBLE_VAT_ACCOUNT, "label": f"TVA déductible{rate_label}",
                              "debit": vat, "credit": ZERO})
        else:
            lines.append({"account": expense_account, "label": f"{label}{rate_text} (TVA non déductible)",
                          "debit": base + vat, "credit": ZERO})
    lines.append({"account": SUPPLIER_ACCOUNT, "label": f"{supplier_name} — {label}", "debit": ZERO,
                  "credit": total_ttc, "auxiliary": supplier_name})
    if credit_note:
        lines = [{**line, "debit": line["credit"], "credit": line["debit"]} for line in lines]
    debit = sum((line["debit"] for line in lines), ZERO)
    credit = sum((line["credit"] for line in lines), ZERO)
    return {
        "journal": PURCHASES_JOURNAL,
        "date": entry_date.isoformat(),
        "reference": reference,
        "label": label,
        "lines": [{**line, "debit": str(line["debit"]), "credit": str(line["credit"]),
                   "account_label": account_label(line["account"]) if line["account"].startswith("6")
                   else ("TVA déductible sur autres biens et services" if line["account"] == DEDUCTIBLE_VAT_ACCOUNT
                         else "Fournisseurs")} for line in lines],
        "balanced": debit == credit,
        "total": str(max(debit, credit)),
    }
