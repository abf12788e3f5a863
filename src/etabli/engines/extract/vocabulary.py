"""Labels that announce each field, in French first, then English, Dutch and German.

Why a vocabulary and not templates: a label such as "Date d'échéance" or "Total TTC" is how *any*
issuer tells the reader what a value is. Matching the label (and its position relative to the value)
reads unseen layouts; a per-issuer template reads only the issuers someone already described.

Patterns apply to folded text (lower case, no accents: see ``parsing.fold``). Spaces in a phrase match
any spacing, including none ("Facturen°"), and the first letter may be followed by a stray space
("F actuurnummer": letter-spaced headings split by PDF text extraction).
"""

from __future__ import annotations

import re


def labels(*phrases: str) -> re.Pattern[str]:
    """One pattern for several label phrases, matched as whole words in folded text."""
    parts = []
    for phrase in phrases:
        head, tail = phrase[0], phrase[1:]
        body = (re.escape(head) if head.isalnum() else head) + (r"\s?" if head.isalpha() else "") + tail
        parts.append(body.replace(" ", r"\s*"))
    # A label ending with a letter must end a word ("tva" but not "tvaux"); one ending with "°" may be
    # glued to its value ("n°F2024-001").
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + r")(?:(?<![a-z])|(?![a-z]))")


_NUMBER_WORD = r"(?:n\s?[°ºo]\.?|no\.?|num(?:ero|\.)?|number|nr\.?|nummer|#)"
_DOC_WORD = r"(?:facture|avoir|invoice|credit note|note de credit|receipt|recu|factuur|rechnung|bill)"

# --- invoice number ----------------------------------------------------------------------------------
INVOICE_NUMBER_STRONG = labels(
    _DOC_WORD + r" " + _NUMBER_WORD,
    _NUMBER_WORD + r" (?:de |d'|du )?(?:la |l')?(?:facture|avoir|invoice|piece|document)",
    "factuurnummer",
    "rechnungsnummer",
    r"rechnungs-?nr\.?",
    r"invoice (?:id|ref\.?|reference)",
    r"reference (?:de la )?facture",
)
INVOICE_NUMBER_TITLE = labels(_DOC_WORD)
INVOICE_NUMBER_WEAK = labels(
    r"(?:booking|reservation|transaction|receipt|ticket|document|piece) (?:id|n\s?[°ºo]\.?|no\.?|number|#|ref\.?)",
    r"numero",
    r"n\s?[°º]",
)

# --- order reference ---------------------------------------------------------------------------------
ORDER_REFERENCE = labels(
    "bon de commande",
    r"n\s?[°ºo]\.? (?:de |du )?(?:bon de )?commande",
    r"commande n\s?[°ºo]\.?",
    r"(?:votre|vos) (?:ref(?:erence)?s?\.?|commande)",
    r"ref(?:erence)?\.? (?:de )?commande",
    r"order (?:number|no\.?|id|#|ref(?:erence)?)",
    r"purchase order(?: number| no\.?)?",
    r"po (?:number|no\.?|#)",
    "ordernummer",
    "bestellnummer",
    r"your (?:reference|order(?: number| no\.?)?)",
    r"buyer (?:reference|order)",
)

# --- dates -------------------------------------------------------------------------------------------
ISSUE_DATE_STRONG = labels(
    r"date (?:de (?:la )?)?(?:facture|facturation|l'avoir|emission)",
    r"date d'emission",
    r"emise? le",
    r"facture du",
    r"invoice date",
    r"date of (?:issue|invoice)",
    r"issue date",
    r"bill(?:ing)? date",
    "factuurdatum",
    "rechnungsdatum",
)
ISSUE_DATE_WEAK = labels("date", "dated", "datum", "fecha")
DUE_DATE = labels(
    r"(?:date d')?echeance",
    r"date limite(?: de (?:paiement|reglement))?",
    r"a (?:regler|payer) (?:avant|au plus tard)(?: le)?",
    r"payable (?:le|avant|au plus tard)",
    r"due date",
    r"date due",
    r"payment due",
    r"due (?:on|by)",
    r"pay(?:able)? by",
    "vervaldatum",
    r"uiterste betaaldatum",
    r"fallig(?:keit)?",
    r"prelev\w* (?:le|a partir du)",
)
OTHER_DATE = labels(
    "commande",
    "order",
    "orderdatum",
    "livraison",
    "delivery",
    "leverdatum",
    "expedition",
    "shipping",
    "debut",
    "fin",
    "periode",
    "period",
    "from",
    "check",
    "naissance",
    "valid",
    "validite",
    "expir\\w*",
    "reglement",
    r"payment date",
    "paid",
    r"paye le",
    "acompte",
    "sepa",
    "virement",
    "signature",
    r"facture (?:associee|liee|d'origine)",
    "depuis",
    "jusqu'au",
    "au",
)

# --- amounts -----------------------------------------------------------------------------------------
TTC_LABELS: tuple[tuple[re.Pattern[str], float], ...] = (
    (
        labels(
            r"total (?:\()?t\.?t\.?c\.?",
            r"montant (?:total )?t\.?t\.?c\.?",
            r"total toutes taxes comprises",
            r"(?:net|total|montant|somme|reste) a payer",
            r"net a regler",
            r"total (?:eur|euros?) t\.?t\.?c\.?",
            r"total amount due",
            r"amount due",
            r"total due",
            r"grand total",
            r"invoice total",
            r"total (?:for|of) this invoice",
            r"total incl\.?(?: vat| tax(?:es)?| btw)?",
            r"total (?:a|te) betalen",
            r"gesamtbetrag",
            r"montant total",
            r"totaal incl\.?(?: btw)?",
        ),
        1.0,
    ),
    (
        labels(
            "totaal",
            "total facture",
            "total general",
            "total amount",
            "balance due",
            "bruttobetrag",
            r"montant eur t\.?t\.?c\.?",
        ),
        0.8,
    ),
    (labels("total"), 0.55),
    (labels(r"solde (?:a payer|du)", "residual", r"reste du"), 0.3),
)
HT_LABELS: tuple[tuple[re.Pattern[str], float], ...] = (
    (
        labels(
            r"total (?:\()?h\.?t\.?",
            r"montant (?:total )?h\.?t\.?",
            r"total hors (?:taxes?|tva)",
            r"sous-? ?total h\.?t\.?",
            r"base h\.?t\.?",
            r"total (?:eur|euros?) h\.?t\.?",
            r"net total",
            r"total net",
            r"total excl\.?(?: vat| tax(?:es)?| btw)?",
            r"exclusief btw",
            r"excl\.? (?:vat|btw|tax)",
            r"total before tax",
            r"amount before tax",
            r"nettobetrag",
            r"totaal excl\.?(?: btw)?",
            r"montant net",
        ),
        1.0,
    ),
    (
        labels(
            r"sous-? ?total", "subtotal", "subtotaal", r"sub total", r"total hors", r"montant eur h\.?t\.?"
        ),
        0.7,
    ),
)
TVA_LABELS: tuple[tuple[re.Pattern[str], float], ...] = (
    (
        labels(
            r"total (?:de la )?t\.?v\.?a\.?",
            r"montant (?:de la |total )?t\.?v\.?a\.?",
            r"total tax(?:es|e)?",
            r"tax total",
            r"total vat",
            r"vat total",
            r"total tax",
            r"btw totaal",
            r"total btw",
            r"mehrwertsteuer",
            r"montant des taxes",
        ),
        1.0,
    ),
    (labels(r"t\.?v\.?a\.?", "vat", "btw", "tax(?:es|e)?", "mwst", "ust", "iva", "gst"), 0.65),
)
#: Words of a column header that say which total a column holds ("Montant EUR HT | TVA | TTC").
COLUMN_TTC = labels(r"t\.?t\.?c\.?", "total", "incl", "totaal", "brutto")
COLUMN_HT = labels(r"h\.?t\.?", "excl", "net", "netto")
COLUMN_TVA = labels(r"t\.?v\.?a\.?", "vat", "tax", "taxes", "btw", "mwst")
#: Legal wording that means no VAT is charged (micro-entrepreneurs, exports, reverse charge).
NO_VAT = labels(
    r"tva non applicable",
    r"293 ?b",
    r"autoliquidation",
    r"exoneration de tva",
    r"exonere de tva",
    r"vat exempt\w*",
    r"reverse charge",
    r"not subject to vat",
    r"franchise en base",
)

# --- identifiers and parties -------------------------------------------------------------------------
SIREN_LABEL = labels("siren", r"r\.?c\.?s\.?", "rcs", r"n\s?[°ºo]\.? (?:d')?immatriculation")
SIRET_LABEL = labels("siret")
VAT_LABEL = labels(r"t\.?v\.?a\.?", "vat", "btw", "ust-?id\\w*", "iva", "intracom\\w*", r"tax id")
IBAN_LABEL = labels("iban", "rib", r"bank account", r"compte bancaire", r"compte", r"bankrekening", "konto")
CUSTOMER_CONTEXT = labels(
    "client",
    "customer",
    "acheteur",
    "buyer",
    "destinataire",
    r"bill(?:ed)? to",
    r"facturee?s? a(?=\s*(?::|$))",
    r"adresse de facturation",
    r"livre a",
    r"ship to",
    r"vos identifiants",
    "recipient",
    "klant",
    "kunde",
    r"billing address",
    r"shipping address",
    r"adresse de livraison",
    r"delivery address",
    "abonne",
)
SELLER_CONTEXT = labels(
    r"vendu par",
    r"sold by",
    r"emis(?:e)? par",
    "fournisseur",
    "vendeur",
    "prestataire",
    r"service provider",
    r"payable (?:to|a)",
    r"received by",
    r"a l'ordre de",
    r"seller",
    r"supplier",
    r"verkoper",
    r"leverancier",
)
#: Legal forms, case-sensitive on purpose: "SA" is a company, "sa" is a French possessive.
LEGAL_FORMS = (
    r"S\.?A\.?S\.?U?",
    r"S\.?A\.?R\.?L\.?",
    r"E\.?U\.?R\.?L\.?",
    r"S\.A\.",
    "SA",
    r"S\.?C\.?I\.?",
    r"S\.?N\.?C\.?",
    "SELARL",
    "SCOP",
    "SCM",
    "GIE",
    "EIRL",
    r"B\.V\.?",
    "BV",
    r"N\.V\.?",
    "GmbH",
    "AG",
    r"Pvt\.? Ltd\.?",
    r"P(?:rivate|RIVATE) L(?:imited|IMITED)",
    r"Co\.?,? Ltd\.?",
    r"L(?:td|TD)\.?",
    r"L(?:imited|IMITED)",
    r"Inc\.?",
    "INC",
    "LLC",
    "LLP",
    "PLC",
    r"S\.p\.A\.?",
    r"S\.L\.?",
)
LEGAL_FORM_RE = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(LEGAL_FORMS) + r")(?![A-Za-z0-9])")
CAPITAL_MENTION = labels(r"au capital(?: social)? de", r"capital social", r"capital de")
DOCUMENT_TITLE_WORDS = labels(
    "facture",
    "factures",
    "invoice",
    "invoices",
    "factuur",
    "rechnung",
    "avoir",
    "devis",
    "receipt",
    "recu",
    "bill",
    "payment receipt",
    "original",
    "duplicata",
    "copie",
    "tax invoice",
    "quotation",
)
