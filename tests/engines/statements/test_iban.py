from __future__ import annotations

import pytest

from etabli.engines.statements import StatementError, iban_error, validate_bic, validate_iban


def _with_check_digits(bban: str) -> str:
    """A French IBAN whose two IBAN check digits are right, whatever its RIB key."""
    digits = "".join(str(int(char, 36)) for char in bban + "FR00")
    return f"FR{98 - int(digits) % 97:02d}{bban}"


def test_valid_iban_details():
    info = validate_iban("fr76 3000 6000 0112 3456 7890 189")
    assert info.iban == "FR7630006000011234567890189"
    assert info.formatted == "FR76 3000 6000 0112 3456 7890 189"
    assert (info.bank_code, info.branch_code, info.account_code) == ("30006", "00001", "12345678901")
    assert info.bic and info.country_code == "FR"
    assert iban_error("FR7630006000011234567890189") is None


def test_wrong_rib_key_is_caught_even_with_right_iban_check_digits():
    iban = _with_check_digits("30006000011234567890188")  # RIB key 88 instead of 89
    with pytest.raises(StatementError, match="clé RIB"):
        validate_iban(iban)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("FR7730006000011234567890189", "clé de contrôle de l'IBAN"),
        ("XX7630006000011234567890189", "code pays"),
        ("FR76300060000112345678901", "longueur"),
        ("", "absent"),
    ],
)
def test_invalid_ibans_get_french_reasons(value, reason):
    message = iban_error(value)
    assert message is not None and reason in message


def test_bic():
    assert validate_bic("bnpa fr pp xxx") == "BNPAFRPPXXX"
    with pytest.raises(StatementError, match="8 ou 11"):
        validate_bic("BNPAFR")
    with pytest.raises(StatementError, match="pays"):
        validate_bic("BNPAXXPP")
    with pytest.raises(StatementError, match="incohérent"):
        validate_bic("DEUTDEFF", iban="FR7630006000011234567890189")
