"""Correspondent matching: each identifier, then the name, identifiers always first."""

from __future__ import annotations

import pytest

from etabli.engines.classify import (
    ClassifyError,
    CorrespondentMatcher,
    KnownPartner,
    PartnerEvidence,
    match_correspondent,
)

EDF = KnownPartner(1, "EDF Entreprises", siren="552081317", vat_numbers=("FR03552081317",))
DUPONT = KnownPartner(
    2, "Menuiserie Dupont SARL", sirets=("73282932000074",), ibans=("FR7630006000011234567890189",)
)
GARAGE_MARTIN = KnownPartner(3, "Garage Martin")
MARTIN_PLOMBERIE = KnownPartner(4, "Martin Plomberie", aliases=("Plomberie Martin et Fils",))
FACTOR_A = KnownPartner(5, "Atelier Alpha", ibans=("FR7610107001011234567890129",))
FACTOR_B = KnownPartner(6, "Atelier Bêta", ibans=("FR76 1010 7001 0112 3456 7890 129",))
PARTNERS = [EDF, DUPONT, GARAGE_MARTIN, MARTIN_PLOMBERIE, FACTOR_A, FACTOR_B]


def test_siret_match() -> None:
    best = match_correspondent(PartnerEvidence(siret="732 829 320 00074"), PARTNERS)[0]
    assert (best.partner_id, best.method) == (2, "siret")
    assert best.confidence == pytest.approx(0.99)
    assert "SIRET 73282932000074 identique" in best.reason


def test_vat_number_match() -> None:
    best = match_correspondent(PartnerEvidence(vat_number="FR 03 552 081 317"), PARTNERS)[0]
    assert (best.partner_id, best.method) == (1, "vat")


def test_siren_found_inside_a_siret_or_a_vat_number() -> None:
    by_siren = match_correspondent(PartnerEvidence(siren="732829320"), PARTNERS)[0]
    assert (by_siren.partner_id, by_siren.method) == (2, "siren")
    # The partner is known by its SIRET only; the document shows the VAT number (which holds the SIREN).
    by_vat = match_correspondent(PartnerEvidence(vat_number="FR" + "83" + "732829320"), PARTNERS)[0]
    assert (by_vat.partner_id, by_vat.method) == (2, "siren")


def test_iban_match_and_shared_iban_is_weaker() -> None:
    unique = match_correspondent(PartnerEvidence(iban="FR76 3000 6000 0112 3456 7890 189"), PARTNERS)[0]
    assert (unique.partner_id, unique.method, unique.confidence) == (2, "iban", pytest.approx(0.95))
    shared = match_correspondent(PartnerEvidence(iban="FR7610107001011234567890129"), PARTNERS)
    assert {m.partner_id for m in shared} == {5, 6}
    assert all(m.confidence < unique.confidence for m in shared)
    assert "connu pour 2 partenaires" in shared[0].reason


def test_fuzzy_name_when_no_identifier() -> None:
    matches = match_correspondent(PartnerEvidence(name="MENUISERIE DUPOND"), PARTNERS)
    assert matches[0].partner_id == 2
    assert matches[0].method == "name"
    assert 0.5 < matches[0].confidence < 0.9
    assert "proche de « Menuiserie Dupont SARL »" in matches[0].reason


def test_short_name_contained_in_a_longer_one_and_aliases() -> None:
    assert match_correspondent(PartnerEvidence(name="EDF"), PARTNERS)[0].partner_id == 1
    assert match_correspondent(PartnerEvidence(name="Plomberie Martin & Fils"), PARTNERS)[0].partner_id == 4


def test_ambiguous_names_are_all_proposed_with_less_confidence() -> None:
    matches = match_correspondent(PartnerEvidence(name="Martin"), PARTNERS)
    assert {m.partner_id for m in matches} == {3, 4}
    assert all(m.confidence < 0.8 for m in matches)
    assert all("2 partenaires ont un nom proche" in m.reason for m in matches)


def test_identifiers_rank_before_names() -> None:
    matches = match_correspondent(PartnerEvidence(name="Menuiserie Dupont", siren="552081317"), PARTNERS)
    assert [m.method for m in matches][:2] == ["siren", "name"]
    assert matches[0].partner_id == 1
    # Same name, different SIREN: the usual trap, heavily discounted.
    assert matches[1].partner_id == 2 and matches[1].confidence < 0.3
    assert "SIREN différent" in matches[1].reason


def test_invalid_checksum_lowers_confidence() -> None:
    partner = KnownPartner(9, "Test", sirets=("12345678901234",))
    match = match_correspondent(PartnerEvidence(siret="12345678901234"), [partner])[0]
    assert match.confidence == pytest.approx(0.89)
    assert "clé de contrôle" in match.reason


def test_nothing_known_gives_nothing() -> None:
    assert match_correspondent(PartnerEvidence(), PARTNERS) == []
    assert match_correspondent(PartnerEvidence(name="Boulangerie Inconnue"), PARTNERS) == []
    assert match_correspondent(PartnerEvidence(siret="73282932000074"), []) == []


def test_matcher_is_reusable_and_limits_results() -> None:
    matcher = CorrespondentMatcher(PARTNERS)
    assert len(matcher.match(PartnerEvidence(name="Martin"), limit=1)) == 1
    with pytest.raises(ClassifyError):
        matcher.match(PartnerEvidence(name="Martin"), limit=0)


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ClassifyError, match="PartnerEvidence"):
        match_correspondent({"siret": "1"}, PARTNERS)  # type: ignore[arg-type]
    with pytest.raises(ClassifyError, match="KnownPartner"):
        CorrespondentMatcher([{"id": 1}])  # type: ignore[list-item]
