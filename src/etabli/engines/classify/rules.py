"""French rules that recognise document types on day one: titles, key phrases, structures, metadata.

Why rules next to a model: a TPE's first document must already be filed sensibly, and a rule says *why*
in words the owner understands (« contient « Net à payer » et « Salaire brut » »). Each rule is a
*signal*, not a verdict: the signals are features of the classifier, which learns how much each one
weighs (« Net à payer » is on payslips and on invoices; « URSSAF » is on payslips, bank statements and
letters). The reasons shown for a prediction are the signals that pointed to the chosen type.

Patterns run on the folded text (lower case, no accents, see :mod:`etabli.engines.classify.text`).
Zones: ``title`` looks at the first lines only (where a document says what it is), ``line`` at the
start of any line, ``any`` anywhere. ``min_count`` asks for several distinct hits (a CV has several
sections, a bank statement many operation lines).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from etabli.engines.classify.labels import (
    AUTRE,
    AVOIR,
    BON_DE_LIVRAISON,
    BULLETIN_DE_PAIE,
    CONTRAT,
    COURRIER_ADMINISTRATIF,
    CV,
    DEVIS,
    FACTURE_CLIENT,
    FACTURE_FOURNISSEUR,
    RELEVE_BANCAIRE,
)
from etabli.engines.classify.models import DocumentMeta
from etabli.engines.classify.text import fold

Zone = Literal["title", "line", "any"]

#: How many non-empty lines make the title zone: PDF text layers often put addresses before the title.
TITLE_LINES = 15

INVOICES = (FACTURE_FOURNISSEUR, FACTURE_CLIENT)


@dataclass(frozen=True)
class Rule:
    """One signal read in the text: a name (feature), the types it points to, and how to say it."""

    name: str
    labels: tuple[str, ...]
    pattern: re.Pattern[str]
    phrase: str
    zone: Zone = "any"
    min_count: int = 1
    #: True when ``phrase`` is a quotation (« Net à payer »), so reasons read « contient « … » ».
    quoted: bool = True


def _rule(
    name: str,
    labels: Iterable[str],
    pattern: str,
    phrase: str,
    *,
    zone: Zone = "any",
    min_count: int = 1,
    quoted: bool = True,
) -> Rule:
    flags = re.MULTILINE if zone == "line" else 0
    return Rule(name, tuple(labels), re.compile(pattern, flags), phrase, zone, min_count, quoted)


TEXT_RULES: tuple[Rule, ...] = (
    # Invoices
    _rule(
        "facture_titre",
        INVOICES,
        r"^\W{0,3}(facture|invoice|factuur|rechnung)\b(?! d'avoir)",
        "« Facture » en titre",
        zone="title",
        quoted=False,
    ),
    _rule(
        "facture_numero",
        INVOICES,
        r"\b(facture|invoice)\s*(n|no|num|numero|number|nr)\b\s*[°o.:#]?",
        "« Facture n° »",
    ),
    _rule("facture_mot", INVOICES, r"\bfactur(e|ation)s?\b", "le mot « facture »", quoted=False),
    _rule(
        "total_ttc",
        (*INVOICES, AVOIR, DEVIS),
        r"\b(total|montant)\s*(t\.?t\.?c|ttc)\b|\bttc\b",
        "« Total TTC »",
    ),
    _rule(
        "total_ht",
        (*INVOICES, AVOIR, DEVIS),
        r"\b(total|montant)\s*(h\.?t\.?|ht|hors taxes?)\b",
        "« Total HT »",
    ),
    _rule(
        "tva_taux",
        (*INVOICES, AVOIR, DEVIS),
        r"\btva\b[^\n]{0,30}\d{1,2}([,.]\d{1,2})?\s*%|\b\d{1,2}([,.]\d{1,2})?\s*%[^\n]{0,10}\btva\b",
        "un taux de TVA",
    ),
    _rule(
        "echeance",
        INVOICES,
        r"date (d'|limite de |de )?(echeance|paiement|reglement)|\bechean|a payer (avant|le|au plus tard)|payable (le|a|sous|avant)|due date|payment due",
        "une date d'échéance",
        quoted=False,
    ),
    _rule(
        "penalites",
        INVOICES,
        r"penalites? de retard|indemnite forfaitaire|frais de recouvrement|escompte",
        "les pénalités de retard",
        quoted=False,
    ),
    _rule("net_a_payer", (*INVOICES, BULLETIN_DE_PAIE), r"\bnet a payer\b", "« Net à payer »"),
    _rule(
        "montant_a_payer",
        INVOICES,
        r"(montant|total|reste|solde) (total )?a (payer|regler)|amount due|total due|montant du\b",
        "« Montant à payer »",
    ),
    _rule(
        "consommation",
        INVOICES,
        r"\bconsommation|\bkwh\b|releve (de|du) compteur|index (de|du) compteur|point de livraison|\bpdl\b|\bpce\b|forfait (mobile|internet)|\bbox\b|abonnement (mensuel|annuel)",
        "une consommation ou un abonnement",
        quoted=False,
    ),
    _rule(
        "facture_etrangere",
        INVOICES,
        r"\binvoice (date|number|no)\b|\bbill(ed)? to\b|\bbilling period\b|\b(rechnungs|factuur)(nummer|datum)\b|\bnumero de factura\b|\bfattura n\b|\b(vat|btw|mwst|ust|iva|gst)\b[^\n]{0,20}\d",
        "une facture en langue étrangère (« Invoice »)",
        quoted=False,
    ),
    _rule("honoraires", INVOICES, r"note d'honoraires|\bhonoraires\b", "« Honoraires »"),
    _rule(
        "ticket",
        INVOICES,
        r"ticket( de caisse)?\b|\bcaisse\s*\d|merci de votre (visite|achat)|\bcb\s*(sans contact|emv)|carte bancaire[^\n]{0,20}\d",
        "un ticket de caisse",
        quoted=False,
    ),
    _rule(
        "recu_titre",
        INVOICES,
        r"^\W{0,3}(recu|receipt|payment receipt|facturette|quittance)\b",
        "« Reçu » ou « Quittance » en titre",
        zone="title",
        quoted=False,
    ),
    # Credit notes
    _rule(
        "avoir_titre",
        (AVOIR,),
        r"^\W{0,3}(avoir|facture d'avoir|note de credit|credit note|facture rectificative)\b",
        "« Avoir » en titre",
        zone="title",
        quoted=False,
    ),
    _rule(
        "avoir_numero",
        (AVOIR,),
        r"\bavoir\s*(n|no|num|numero)\b\s*[°o.:]?|\bavoir\s*:?\s*av[-/ ]?\d",
        "« Avoir n° »",
    ),
    _rule(
        "avoir_sur_facture",
        (AVOIR,),
        r"avoir (sur|relatif a|concernant|correspondant a|portant sur) (la |votre )?facture|facture (d'origine|liee|initiale|annulee|rectifiee|de reference)|annule et remplace|en deduction de",
        "« Avoir sur facture »",
    ),
    _rule(
        "avoir_motif",
        (AVOIR,),
        r"motif[^\n]{0,30}(retour|remise|geste commercial|erreur|annulation|ristourne|litige|avarie)|retour (de )?marchandises?|geste commercial|\bristourne\b",
        "un motif de remboursement (retour, remise…)",
        quoted=False,
    ),
    _rule(
        "avoir_deduire",
        (AVOIR,),
        r"(montant|somme|total) (a deduire|a rembourser|rembourse|credite)|a valoir sur|sera (deduit|rembourse|credite)|(total|montant)[^\n]{0,15}-\s?\d",
        "un montant à déduire ou à rembourser",
        quoted=False,
    ),
    # Quotes
    _rule(
        "devis_titre",
        (DEVIS,),
        r"^\W{0,3}(devis|proposition (commerciale|de prix|tarifaire)|offre (de prix|commerciale)|estimation|quotation|quote)\b",
        "« Devis » en titre",
        zone="title",
        quoted=False,
    ),
    _rule(
        "devis_numero",
        (DEVIS,),
        r"\bdevis\s*(n|no|num|numero)\b\s*[°o.:]?|\bdevis\s*:?\s*d[-/ ]?\d",
        "« Devis n° »",
    ),
    _rule(
        "devis_validite",
        (DEVIS,),
        r"(devis|offre|proposition|prix) valable|validite (de l'offre|du devis|de la proposition|\s*:)|duree de validite|valable (\d+|un|deux|trois) (jours|mois)",
        "une durée de validité de l'offre",
        quoted=False,
    ),
    _rule("bon_pour_accord", (DEVIS,), r"bon pour accord", "« Bon pour accord »"),
    _rule(
        "devis_acompte",
        (DEVIS,),
        r"acompte[^\n]{0,40}(a la commande|a la signature|a l'acceptation)|(a la commande|a la signature)[^\n]{0,20}acompte",
        "un acompte à la commande",
        quoted=False,
    ),
    _rule(
        "devis_signature",
        (DEVIS,),
        r"(date,? )?(cachet et )?signature (du client|client)|accord du client|devis (accepte|signe)",
        "une signature du client pour accord",
        quoted=False,
    ),
    # Delivery notes
    _rule(
        "bl_titre",
        (BON_DE_LIVRAISON,),
        r"(bon|bordereau|avis) de (livraison|reception|expedition)|^\W{0,3}bl\s*(n|no|numero)?\s*[°o.:]|delivery note|packing (slip|list)",
        "« Bon de livraison »",
    ),
    _rule(
        "bl_quantites",
        (BON_DE_LIVRAISON,),
        r"(quantite|qte|qt)\.?\s*(livree|commandee|expediee|restant)|reliquat|\bnb\.? (de )?colis|nombre de colis|\bcolis\b|poids (brut|net|total)",
        "des quantités livrées ou des colis",
        quoted=False,
    ),
    _rule(
        "bl_reception",
        (BON_DE_LIVRAISON,),
        r"receptionne par|signature (du |de la )?(destinataire|receptionnaire|livreur|chauffeur)|reserves? (eventuelles|a la livraison|emises)|livre le\b|date de livraison|\btransporteur\b|mode (de livraison|d'expedition)",
        "une réception signée par le destinataire",
        quoted=False,
    ),
    # Contracts
    _rule(
        "contrat_titre",
        (CONTRAT,),
        r"^\W{0,3}(contrat|convention|bail|avenant|accord de confidentialite|conditions particulieres|protocole d'accord|lettre de mission)\b",
        "« Contrat » en titre",
        zone="title",
        quoted=False,
    ),
    _rule(
        "soussignes",
        (CONTRAT,),
        r"entre les soussigne|ci-?apres (denomme|designe|appele|nomme)|d'une part\b|d'autre part\b",
        "« Entre les soussignés »",
    ),
    _rule(
        "convenu",
        (CONTRAT,),
        r"il a ete (convenu|arrete|expose) ce qui suit|les parties (conviennent|sont convenues|ont convenu)|ceci expose",
        "« Il a été convenu ce qui suit »",
    ),
    _rule(
        "articles",
        (CONTRAT,),
        r"^\W{0,3}(article|art\.)\s*(\d+|premier|1er|[ivx]+)\b",
        "des articles numérotés",
        zone="line",
        min_count=3,
        quoted=False,
    ),
    _rule(
        "resiliation",
        (CONTRAT,),
        r"\bresili|tacite(ment)? reconduct|duree (du contrat|initiale|de la convention)|prend(ra)? effet|periode d'essai|preavis",
        "des clauses de durée et de résiliation",
        quoted=False,
    ),
    _rule(
        "fait_a",
        (CONTRAT,),
        r"fait a [^\n]{2,40}(,|le)|en (deux|2|trois|3) exemplaires|lu et approuve",
        "« Fait à …, en deux exemplaires »",
    ),
    # Bank statements
    _rule(
        "releve_titre",
        (RELEVE_BANCAIRE,),
        r"releve (de (compte|vos comptes|vos operations|situation)|bancaire|d'operations|d'identite bancaire)|extrait de compte|bank statement|account statement",
        "« Relevé de compte »",
    ),
    _rule(
        "solde",
        (RELEVE_BANCAIRE,),
        r"(ancien|nouveau|dernier) solde|solde (crediteur|debiteur|au \d|precedent|final|initial|de fin|en (votre|notre) faveur)|opening balance|closing balance",
        "« Solde créditeur / nouveau solde »",
    ),
    _rule(
        "colonnes_debit_credit",
        (RELEVE_BANCAIRE,),
        r"\bdebits?\b[^\n]{0,25}\bcredits?\b|\bcredits?\b[^\n]{0,25}\bdebits?\b",
        "des colonnes Débit et Crédit",
        quoted=False,
    ),
    _rule(
        "operations",
        (RELEVE_BANCAIRE,),
        r"^[^\n]{0,14}\b(prlv|prelevement|prelev|vir(ement)?s?( sepa| inst| recu| emis| permanent)|cb\s|paiement (par )?carte|carte \d|cheque|chq|retrait|remise (de )?cheques?|frais (bancaires|de tenue)|cotisation (carte|offre)|commission|interets)\b",
        "des opérations bancaires (prélèvements, virements, carte)",
        zone="line",
        min_count=3,
        quoted=False,
    ),
    _rule(
        "total_mouvements",
        (RELEVE_BANCAIRE,),
        r"total des (operations|mouvements)|montant total des (debits|credits)",
        "« Total des opérations »",
    ),
    # Payslips
    _rule(
        "paie_titre",
        (BULLETIN_DE_PAIE,),
        r"bulletin (de |du )?(paie|paye|salaire)|fiche de (paie|paye)|payslip",
        "« Bulletin de paie »",
    ),
    _rule(
        "salaire_brut",
        (BULLETIN_DE_PAIE,),
        r"salaire (de )?(brut|base)|total brut|\bbrut (mensuel|fiscal|soumis)|remuneration brute",
        "« Salaire brut »",
    ),
    _rule(
        "net_salaire",
        (BULLETIN_DE_PAIE,),
        r"net a payer avant impot|net (social|imposable|paye\b|fiscal)|net avant impot",
        "« Net imposable / net social »",
    ),
    _rule(
        "cotisations",
        (BULLETIN_DE_PAIE,),
        r"cotisations? (salariales?|patronales?|et contributions)|\bcsg\b|\bcrds\b|agirc|arrco|retraite complementaire|\bprevoyance\b|assurance chomage|\bsecurite sociale\b|accidents? du travail",
        "des cotisations salariales (CSG, retraite…)",
        min_count=2,
        quoted=False,
    ),
    _rule(
        "emploi",
        (BULLETIN_DE_PAIE,),
        r"convention collective|\bcoefficient\b|\bmatricule\b|date d'entree|anciennete|conges payes|heures (supplementaires|travaillees)|\bemploi\s*:|taux horaire",
        "des informations d'emploi (convention collective, congés…)",
        min_count=2,
        quoted=False,
    ),
    _rule(
        "prelevement_source",
        (BULLETIN_DE_PAIE,),
        r"prelevement a la source|impot sur le revenu (preleve|retenu)|taux (personnalise|neutre|non personnalise)",
        "le prélèvement à la source",
        quoted=False,
    ),
    # Administrative letters
    _rule(
        "administration",
        (COURRIER_ADMINISTRATIF,),
        r"\burssaf\b|\bdgfip\b|direction (generale|departementale|regionale) des finances publiques|service des impots|\bsie\b|impots\.gouv|tresor public|centre des finances publiques|caisse primaire|\bcpam\b|\bcaf\b|allocations familiales|france travail|pole emploi|\binsee\b|\bprefecture\b|\bmairie\b|tribunal|greffe|inspection du travail|\bdreets\b|\bmsa\b|\bcarsat\b|ministere|net-entreprises|assurance maladie",
        "un organisme public (URSSAF, impôts…)",
        quoted=False,
    ),
    _rule(
        "republique",
        (COURRIER_ADMINISTRATIF,),
        r"republique francaise|liberte\W+egalite\W+fraternite",
        "« République française »",
    ),
    _rule(
        "lettre",
        (COURRIER_ADMINISTRATIF,),
        r"madame,? monsieur|^objet\s*:|nous vous prions d'agreer|veuillez agreer|salutations distinguees|sentiments distingues|je vous prie d'agreer",
        "la forme d'une lettre (« Objet : », « Madame, Monsieur »)",
        quoted=False,
    ),
    _rule(
        "demarche_administrative",
        (COURRIER_ADMINISTRATIF,),
        r"mise en demeure|avis d'(imposition|echeance|impot)|avis de (mise en recouvrement|controle|verification|situation|passage)|echeancier|majorations? de retard|redressement|attestation de vigilance|numero fiscal|reference(s)? (a rappeler|de l'avis)|affaire suivie par|dossier suivi par|cotisation fonciere|\bcfe\b|declaration (de tva|sociale|nominative|de resultats)|\bdsn\b|contravention|notification|voies? (et delais )?de recours",
        "une démarche administrative (avis, mise en demeure…)",
        quoted=False,
    ),
    # CVs
    _rule("cv_titre", (CV,), r"curriculum vitae|\bcv\b", "« Curriculum vitae »"),
    _rule(
        "cv_sections",
        (CV,),
        r"experiences? professionnelles?|parcours professionnel|^\W{0,3}formations?\b|diplomes?\b|^\W{0,3}competences|^\W{0,3}langues\b|centres? d'interets?|^\W{0,3}loisirs|permis b\b|references sur demande|^\W{0,3}profil\b|soft skills",
        "des rubriques de CV (« Expériences professionnelles », « Formation »…)",
        zone="line",
        min_count=2,
        quoted=False,
    ),
    _rule(
        "cv_periodes",
        (CV,),
        r"(19|20)\d{2}\s*-\s*((19|20)\d{2}|aujourd'hui|present|actuel|ce jour|en cours)|depuis (19|20)\d{2}",
        "des périodes d'emploi (2018 – 2022)",
        min_count=2,
        quoted=False,
    ),
    _rule(
        "cv_personnel",
        (CV,),
        r"\b\d{2} ans\b|nationalite|\bne(e)? le\b|linkedin|github|\bmobile\s*:|anglais (courant|bilingue|lu|professionnel)|niveau (b1|b2|c1|c2)",
        "des informations personnelles de candidat",
        quoted=False,
    ),
    # Other documents (there is no « autre » keyword; these are the usual non-filed documents)
    _rule(
        "autre_indices",
        (AUTRE,),
        r"compte[- ]rendu|ordre du jour|fiche technique|caracteristiques techniques|notice (d'utilisation|de montage)|mode d'emploi|\bcatalogue\b|newsletter|se desabonner|bon de commande|attestation d'assurance|proces-verbal|note (interne|de service)|invitation|\bprogramme\b",
        "un document d'information (compte rendu, fiche technique…)",
        quoted=False,
    ),
)

ADMIN_DOMAINS = (
    "urssaf.fr",
    "dgfip.finances.gouv.fr",
    "impots.gouv.fr",
    "finances.gouv.fr",
    "ameli.fr",
    "assurance-maladie.fr",
    "caf.fr",
    "francetravail.fr",
    "pole-emploi.fr",
    "insee.fr",
    "msa.fr",
    "carsat.fr",
    "infogreffe.fr",
    "net-entreprises.fr",
    "gouv.fr",
)

#: Words of file names and the types they point to (file names are folded, split on non-letters).
FILENAME_WORDS: dict[str, tuple[str, ...]] = {
    "facture": INVOICES,
    "factures": INVOICES,
    "fact": INVOICES,
    "fac": INVOICES,
    "invoice": INVOICES,
    "avoir": (AVOIR,),
    "avoirs": (AVOIR,),
    "devis": (DEVIS,),
    "bl": (BON_DE_LIVRAISON,),
    "livraison": (BON_DE_LIVRAISON,),
    "contrat": (CONTRAT,),
    "bail": (CONTRAT,),
    "releve": (RELEVE_BANCAIRE,),
    "extrait": (RELEVE_BANCAIRE,),
    "bulletin": (BULLETIN_DE_PAIE,),
    "paie": (BULLETIN_DE_PAIE,),
    "salaire": (BULLETIN_DE_PAIE,),
    "cv": (CV,),
    "curriculum": (CV,),
    "candidature": (CV,),
    "urssaf": (COURRIER_ADMINISTRATIF,),
    "impots": (COURRIER_ADMINISTRATIF,),
    "courrier": (COURRIER_ADMINISTRATIF,),
}


@dataclass(frozen=True)
class MetaSignal:
    """A signal read in the metadata; same role as a rule."""

    name: str
    labels: tuple[str, ...]
    phrase: str


META_SIGNALS: tuple[MetaSignal, ...] = (
    MetaSignal("emetteur_entreprise", (FACTURE_CLIENT,), "l'émetteur est votre entreprise"),
    MetaSignal("emetteur_tiers", (FACTURE_FOURNISSEUR,), "l'émetteur est un tiers"),
    MetaSignal(
        "expediteur_administration", (COURRIER_ADMINISTRATIF,), "envoyé par une adresse d'un organisme public"
    ),
    MetaSignal("champs_totaux", (*INVOICES, AVOIR, DEVIS), "des totaux HT/TVA/TTC ont été lus"),
    MetaSignal("champs_numero_facture", INVOICES, "un numéro de facture a été lu"),
    MetaSignal("champs_iban", (*INVOICES, RELEVE_BANCAIRE), "un IBAN a été lu"),
    *(
        MetaSignal(f"fichier_{label}", (label,), "le nom du fichier l'indique")
        for label in (
            FACTURE_FOURNISSEUR,
            AVOIR,
            DEVIS,
            BON_DE_LIVRAISON,
            CONTRAT,
            RELEVE_BANCAIRE,
            BULLETIN_DE_PAIE,
            COURRIER_ADMINISTRATIF,
            CV,
        )
    ),
)

#: Every signal name, in feature order.
SIGNAL_NAMES: tuple[str, ...] = tuple(rule.name for rule in TEXT_RULES) + tuple(s.name for s in META_SIGNALS)
_SIGNALS_BY_NAME: dict[str, Rule | MetaSignal] = {
    **{rule.name: rule for rule in TEXT_RULES},
    **{signal.name: signal for signal in META_SIGNALS},
}


@dataclass(frozen=True)
class SignalHit:
    """A signal found in one document (``count`` distinct hits for text rules)."""

    name: str
    labels: tuple[str, ...]
    phrase: str
    quoted: bool
    count: int = 1


def _title_zone(folded: str) -> str:
    return "\n".join(folded.split("\n")[:TITLE_LINES])


def text_signals(text: str) -> list[SignalHit]:
    """The rules that fire on a document's text."""
    folded = fold(text)
    title = _title_zone(folded)
    hits: list[SignalHit] = []
    for rule in TEXT_RULES:
        haystack = title if rule.zone == "title" else folded
        if rule.zone == "line":
            found = sum(1 for _ in rule.pattern.finditer(haystack))
        elif rule.min_count > 1:
            found = len({match.group(0) for match in rule.pattern.finditer(haystack)})
        else:
            found = 1 if rule.pattern.search(haystack) else 0
        if found >= rule.min_count:
            hits.append(SignalHit(rule.name, rule.labels, rule.phrase, rule.quoted, found))
    return hits


def _email_domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().lower().rstrip(">") if "@" in address else ""


def is_admin_sender(address: str) -> bool:
    """True for an address of a French public body (…@urssaf.fr, …@dgfip.finances.gouv.fr, any .gouv.fr)."""
    domain = _email_domain(address)
    return bool(domain) and any(domain == known or domain.endswith("." + known) for known in ADMIN_DOMAINS)


def filename_labels(filename: str) -> set[str]:
    """Types a file name points to: « Devis_Dupont-2025.pdf » → {"devis"}."""
    words = re.findall(r"[a-z]+", fold(filename.rsplit("/", 1)[-1]))
    found: set[str] = set()
    for word in words:
        found.update(FILENAME_WORDS.get(word, ()))
    if "fiche" in words and "paie" in words:
        found.add(BULLETIN_DE_PAIE)
    return found


def meta_signals(meta: DocumentMeta | None) -> list[SignalHit]:
    """The metadata signals of a document (issuer, sender, file name, extracted fields)."""
    if meta is None:
        return []
    names: list[str] = []
    if meta.issuer_is_company is True:
        names.append("emetteur_entreprise")
    elif meta.issuer_is_company is False:
        names.append("emetteur_tiers")
    if meta.sender_email and is_admin_sender(meta.sender_email):
        names.append("expediteur_administration")
    fields = {key for key, value in (meta.fields or {}).items() if value not in (None, "")}
    if fields & {"total_ttc", "total_ht", "total_tva"}:
        names.append("champs_totaux")
    if "invoice_number" in fields:
        names.append("champs_numero_facture")
    if "iban" in fields:
        names.append("champs_iban")
    for label in sorted(filename_labels(meta.filename or "")):
        key = FACTURE_FOURNISSEUR if label == FACTURE_CLIENT else label
        if f"fichier_{key}" not in names:
            names.append(f"fichier_{key}")
    hits: list[SignalHit] = []
    for name in names:
        signal = _SIGNALS_BY_NAME[name]
        labels = INVOICES if name == f"fichier_{FACTURE_FOURNISSEUR}" else signal.labels
        hits.append(SignalHit(name, labels, signal.phrase, False))
    return hits


def document_signals(text: str, meta: DocumentMeta | None = None) -> list[SignalHit]:
    """All signals of one document: text rules, then metadata."""
    return text_signals(text) + meta_signals(meta)


def rule_scores(hits: Iterable[SignalHit]) -> dict[str, float]:
    """A rules-only vote per type (each hit gives one point to each type it points to).

    Used as the day-zero baseline the learned model must beat in the benchmark, and nowhere else: in the
    classifier the signals are features whose weights are learned.
    """
    scores: dict[str, float] = {}
    for hit in hits:
        share = 1.0 / len(hit.labels)
        for label in hit.labels:
            scores[label] = scores.get(label, 0.0) + share
    return scores
