"""The document types Établi files documents under, with their French names.

Why one module: the classifier, the search-box parser and the documents app must agree on the codes; the
codes are stable identifiers (stored in the database), the French names are what the owner reads.
"""

from __future__ import annotations

from typing import Final

from etabli.engines.classify.errors import ClassifyError

FACTURE_FOURNISSEUR: Final = "facture_fournisseur"
FACTURE_CLIENT: Final = "facture_client"
AVOIR: Final = "avoir"
DEVIS: Final = "devis"
BON_DE_LIVRAISON: Final = "bon_de_livraison"
CONTRAT: Final = "contrat"
RELEVE_BANCAIRE: Final = "releve_bancaire"
BULLETIN_DE_PAIE: Final = "bulletin_de_paie"
COURRIER_ADMINISTRATIF: Final = "courrier_administratif"
CV: Final = "cv"
AUTRE: Final = "autre"

#: Every document type, in the order menus show them.
DOC_TYPES: Final[tuple[str, ...]] = (
    FACTURE_FOURNISSEUR,
    FACTURE_CLIENT,
    AVOIR,
    DEVIS,
    BON_DE_LIVRAISON,
    CONTRAT,
    RELEVE_BANCAIRE,
    BULLETIN_DE_PAIE,
    COURRIER_ADMINISTRATIF,
    CV,
    AUTRE,
)

#: Both kinds of invoices: what « factures » means when the owner does not say which.
INVOICE_TYPES: Final[tuple[str, ...]] = (FACTURE_FOURNISSEUR, FACTURE_CLIENT)

DOC_TYPE_LABELS: Final[dict[str, str]] = {
    FACTURE_FOURNISSEUR: "Facture fournisseur",
    FACTURE_CLIENT: "Facture client",
    AVOIR: "Avoir",
    DEVIS: "Devis",
    BON_DE_LIVRAISON: "Bon de livraison",
    CONTRAT: "Contrat",
    RELEVE_BANCAIRE: "Relevé bancaire",
    BULLETIN_DE_PAIE: "Bulletin de paie",
    COURRIER_ADMINISTRATIF: "Courrier administratif",
    CV: "CV",
    AUTRE: "Autre",
}

DOC_TYPE_PLURALS: Final[dict[str, str]] = {
    FACTURE_FOURNISSEUR: "Factures fournisseurs",
    FACTURE_CLIENT: "Factures clients",
    AVOIR: "Avoirs",
    DEVIS: "Devis",
    BON_DE_LIVRAISON: "Bons de livraison",
    CONTRAT: "Contrats",
    RELEVE_BANCAIRE: "Relevés bancaires",
    BULLETIN_DE_PAIE: "Bulletins de paie",
    COURRIER_ADMINISTRATIF: "Courriers administratifs",
    CV: "CV",
    AUTRE: "Autres documents",
}


def doc_type_label(code: str) -> str:
    """French name of a type code (« Facture fournisseur »); an unknown code is returned as is."""
    return DOC_TYPE_LABELS.get(code, code)


def check_doc_type(code: object) -> str:
    """Return the code if it is a known type, else raise a French error (used on every label we learn)."""
    if not isinstance(code, str) or code not in DOC_TYPE_LABELS:
        known = ", ".join(DOC_TYPES)
        raise ClassifyError(f"Type de document inconnu : « {code} ». Types possibles : {known}.")
    return code
