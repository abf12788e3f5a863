"""French rules (signals) and the synthetic seed corpus."""

from __future__ import annotations

import pytest

from etabli.engines.classify import (
    DOC_TYPES,
    ClassifyError,
    DocumentMeta,
    document_signals,
    generate_corpus,
    rule_scores,
)
from etabli.engines.classify.rules import filename_labels, is_admin_sender
from etabli.engines.classify.text import fold, fold_same_length

from .samples import BANK_STATEMENT, CONTRACT_SERVICE, CREDIT_NOTE, PAYSLIP, RESUME


def _names(text: str, meta: DocumentMeta | None = None) -> set[str]:
    return {hit.name for hit in document_signals(text, meta)}


def test_payslip_signals() -> None:
    assert {"paie_titre", "salaire_brut", "net_a_payer", "cotisations", "emploi"} <= _names(PAYSLIP)


def test_bank_statement_needs_several_operation_lines() -> None:
    assert {"releve_titre", "solde", "operations", "total_mouvements"} <= _names(BANK_STATEMENT)
    one_line = "PRLV SEPA EDF 45,00"
    assert "operations" not in _names(one_line)


def test_contract_and_credit_note_and_cv_signals() -> None:
    assert {"contrat_titre", "soussignes", "convenu", "articles", "resiliation", "fait_a"} <= _names(
        CONTRACT_SERVICE
    )
    assert {"avoir_numero", "avoir_sur_facture", "avoir_motif"} <= _names(CREDIT_NOTE)
    assert {"cv_sections", "cv_periodes"} <= _names(RESUME)


def test_title_rules_only_look_at_the_top_of_the_document() -> None:
    text = "\n".join(["ligne"] * 30 + ["FACTURE"])
    assert "facture_titre" not in _names(text)
    assert "facture_titre" in _names("FACTURE\n" + text)


def test_rules_ignore_accents_and_case() -> None:
    assert "releve_titre" in _names("RELEVE DE COMPTE")
    assert "releve_titre" in _names("Relevé de compte")


def test_rule_scores_vote_for_the_types_signals_point_to() -> None:
    scores = rule_scores(document_signals(PAYSLIP))
    assert max(scores, key=scores.get) == "bulletin_de_paie"
    assert rule_scores([]) == {}


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("Devis_Dupont-2025.pdf", {"devis"}),
        ("scans/fiche de paie janvier.pdf", {"bulletin_de_paie"}),
        ("BL 4471209.pdf", {"bon_de_livraison"}),
        ("IMG_2045.jpg", set()),
        ("Facture-EDF.pdf", {"facture_fournisseur", "facture_client"}),
    ],
)
def test_file_names_point_to_types(filename: str, expected: set[str]) -> None:
    assert filename_labels(filename) == expected


@pytest.mark.parametrize(
    ("address", "admin"),
    [
        ("ne-pas-repondre@urssaf.fr", True),
        ("sie.dijon@dgfip.finances.gouv.fr", True),
        ("Service <contact@prefecture.gouv.fr>", True),
        ("compta@urssaf-conseil.com", False),
        ("pas une adresse", False),
    ],
)
def test_administration_senders(address: str, admin: bool) -> None:
    assert is_admin_sender(address) is admin


def test_metadata_signals() -> None:
    meta = DocumentMeta(
        filename="devis.pdf",
        sender_email="x@impots.gouv.fr",
        issuer_is_company=True,
        fields={"total_ttc": "120.00", "iban": None},
    )
    assert {"fichier_devis", "expediteur_administration", "emetteur_entreprise", "champs_totaux"} <= _names(
        "", meta
    )
    assert "champs_iban" not in _names("", meta)


def test_fold_keeps_positions() -> None:
    text = "Relevé – l’été\u00a02025"
    folded = fold_same_length(text)
    assert len(folded) == len(text)
    assert folded == "releve - l'ete 2025"
    assert fold("  Réf.   A \n\n B ") == "ref. a\nb"


def test_synthetic_corpus_is_deterministic_and_covers_every_type() -> None:
    first = generate_corpus(3, random_state=7)
    second = generate_corpus(3, random_state=7)
    other = generate_corpus(3, random_state=8)
    assert first == second
    assert first != other
    assert sorted({doc.label for doc in first}) == sorted(DOC_TYPES)
    assert all(doc.text.strip() for doc in first)


def test_synthetic_invoices_carry_the_issuer_as_the_app_would() -> None:
    corpus = generate_corpus(60, random_state=3, labels=("facture_client", "facture_fournisseur"))
    issued = [doc.meta.issuer_is_company for doc in corpus if doc.label == "facture_client"]
    received = [doc.meta.issuer_is_company for doc in corpus if doc.label == "facture_fournisseur"]
    assert set(issued) <= {True, None} and issued.count(True) > issued.count(None)
    assert set(received) <= {False, None}


def test_clean_corpus_has_no_ocr_noise() -> None:
    clean = generate_corpus(2, random_state=1, noise=0.0, labels=("bulletin_de_paie",))
    assert all("Salaire" in doc.text or "SALAIRE" in doc.text or "brut" in doc.text.lower() for doc in clean)


@pytest.mark.parametrize(("n", "noise"), [(0, 0.3), (5, -0.1), (5, 1.5)])
def test_corpus_parameters_are_checked(n: int, noise: float) -> None:
    with pytest.raises(ClassifyError):
        generate_corpus(n, noise=noise)
