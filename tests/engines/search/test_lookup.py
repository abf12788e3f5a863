"""Order number, postcode and e-mail extraction for the order-status flow."""

from __future__ import annotations

import pytest

from etabli.engines.search import (
    SearchError,
    extract_email,
    extract_lookup_keys,
    extract_order_number,
    extract_postcode,
    is_french_postcode,
)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Ma commande n°12345 n'est pas arrivée", "12345"),
        ("commande n° 4587 svp", "4587"),
        ("Numéro de commande : 48213", "48213"),
        ("facture FA-2024-0012, merci", "FA-2024-0012"),
        ("Où en est la #7781 ?", "7781"),
        ("réf. CMD-889 toujours pas reçue", "CMD-889"),
        ("J'ai la référence F2024-001 sous les yeux", "F2024-001"),
    ],
)
def test_order_numbers_are_found(message: str, expected: str) -> None:
    assert extract_order_number(message) == expected


@pytest.mark.parametrize(
    "message",
    ["Je n'ai pas reçu ma commande", "Ma commande de 45 € est-elle partie ?", "commande du mardi", "Bonjour"],
)
def test_no_order_number_is_invented(message: str) -> None:
    assert extract_order_number(message) is None


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("livrée au 69003 Lyon", "69003"),
        ("code postal 13 008", "13008"),
        ("CP : 75011", "75011"),
        ("j'habite à Fort-de-France, 97200", "97200"),
        ("Ajaccio 20000", "20000"),
    ],
)
def test_postcodes_are_found(message: str, expected: str) -> None:
    assert extract_postcode(message) == expected


@pytest.mark.parametrize(
    "message",
    [
        "commande n°12345",  # an order number, not a postcode
        "appelez le 0612345678",  # a phone number
        "code 00123",  # no department 00
        "99999 exemplaires",  # no department 99
        "commande 69003",  # announced as an order number
    ],
)
def test_no_postcode_is_invented(message: str) -> None:
    assert extract_postcode(message) is None


def test_french_postcode_validation() -> None:
    assert is_french_postcode("01000") and is_french_postcode("95000") and is_french_postcode("97400")
    assert (
        not is_french_postcode("96000") and not is_french_postcode("7500") and not is_french_postcode("ABCDE")
    )


def test_email_is_found_and_lowercased() -> None:
    assert extract_email("Mon adresse : Paul.Martin+shop@Exemple.fr.") == "paul.martin+shop@exemple.fr"
    assert extract_email("pas d'adresse ici @ nulle part") is None


def test_lookup_keys_say_when_the_second_factor_is_there() -> None:
    first = extract_lookup_keys("Ma commande n°12345 n'est pas arrivée")
    assert first.order_number == "12345" and not first.has_second_factor and not first.complete
    both = extract_lookup_keys("commande 12345, code postal 69003, jeanne@exemple.fr")
    assert both.complete and both.postcode == "69003" and both.email == "jeanne@exemple.fr"


def test_non_text_is_refused() -> None:
    with pytest.raises(SearchError):
        extract_order_number(None)  # type: ignore[arg-type]
