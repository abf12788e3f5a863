from __future__ import annotations

from decimal import Decimal

import pytest

from etabli.engines.matching import (
    CATEGORIES,
    DEFAULT_RULES,
    Categorizer,
    CategoryClassifier,
    CategoryRule,
    MatchingError,
    learn_rules,
)
from tests.engines.matching.helpers import line


def predict(categorizer: Categorizer, amount: str, label: str):
    return categorizer.predict([line(amount, label)])[0]


@pytest.mark.parametrize(
    ("label", "code", "account"),
    [
        ("PRLV SEPA URSSAF ILE DE FRANCE", "charges_sociales", "431"),
        ("PRLV SEPA EDF ENTREPRISES", "energie", "606"),
        ("LOYER NOVEMBRE SCI DES LILAS", "loyer", "613"),
        ("VIR SEPA SALAIRE NOV DUPONT", "salaires", "421"),
        ("COTISATION CARTE BUSINESS", "frais_bancaires", "627"),
        ("PRLV AXA FRANCE IARD", "assurance", "616"),
        ("PRLV SEPA ORANGE SA", "telecom", "626"),
        ("CB SNCF INTERNET", "deplacements", "625"),
        ("HONORAIRES CABINET EXPERT COMPTABLE", "honoraires", "6226"),
        ("ECHEANCE PRET N 0045871", "emprunt", "164"),
        ("PRLV DGFIP TVA OCTOBRE", "tva", "44551"),  # more specific than « DGFIP »
        ("PRLV DGFIP CFE 2026", "impots_taxes", "635"),
    ],
)
def test_default_french_rules_work_on_day_one(label, code, account):
    prediction = predict(Categorizer(), "-100.00", label)
    assert prediction.code == code and prediction.pcg_account == account
    assert prediction.source == "règle par défaut" and "libellé contient" in prediction.reason


def test_rules_respect_word_boundaries_and_direction():
    assert predict(Categorizer(), "-50.00", "FREELANCE DESIGN") is None
    assert predict(Categorizer(), "1500.00", "VIR RECU SALAIRE") is None  # salaries are paid, not received


def test_every_default_rule_points_to_a_known_category():
    assert {rule.category for rule in DEFAULT_RULES} <= set(CATEGORIES)
    assert {"606", "613", "641", "627", "616", "626", "625", "6226", "164", "44551", "421"} <= {
        category.pcg_account for category in CATEGORIES.values()
    }


def test_owner_rule_wins_over_default_rules():
    categorizer = Categorizer([CategoryRule("ORANGE", "logiciels", "debit")])
    prediction = predict(categorizer, "-30.00", "PRLV ORANGE SA")
    assert prediction.code == "logiciels" and prediction.source == "règle"


def test_unknown_category_in_a_rule_is_refused():
    with pytest.raises(MatchingError, match="inconnue"):
        Categorizer([CategoryRule("X", "divers")])


HISTORY = (
    [("PRLV SOGELEASE CONTRAT 88712", Decimal("-420.00"), "credit_bail")] * 4
    + [("PRLV SOGELEASE LOYER 99120", Decimal("-415.50"), "credit_bail")] * 3
    + [("PRLV SEPA URSSAF RHONE ALPES", Decimal("-2450.00"), "charges_sociales")] * 6
    + [("CB BRASSERIE DU PORT", Decimal("-45.00"), "receptions")] * 5
    + [("PRLV EDF PRO 12345", Decimal("-210.00"), "energie")] * 5
    + [("VIR SEPA PAIE NOVEMBRE", Decimal("-2100.00"), "salaires")] * 5
)


def test_learned_rules_from_history():
    rules = learn_rules(HISTORY)
    sogelease = next(rule for rule in rules if rule.pattern == "SOGELEASE")
    assert sogelease.category == "credit_bail" and sogelease.support == 7 and sogelease.direction == "debit"
    assert all(rule.pattern != "PRLV" for rule in rules)  # shared by several categories
    prediction = predict(Categorizer(rules), "-430.00", "PRLV SOGELEASE 11111")
    assert prediction.source == "règle apprise" and prediction.code == "credit_bail"
    assert "classé ainsi 7 fois" in prediction.reason


def test_classifier_learns_the_company_history():
    classifier = CategoryClassifier(min_examples=10).fit(
        [label for label, _, _ in HISTORY],
        [amount for _, amount, _ in HISTORY],
        [code for _, _, code in HISTORY],
    )
    assert classifier.is_fitted
    # An unseen label, close in characters to past ones (truncated, different reference number).
    ((code, probability),) = classifier.predict(["PRLV SOGELEAS CONTR 1"], [Decimal(-400)])
    assert code == "credit_bail" and probability > 0.5
    categorizer = Categorizer(classifier=classifier, use_default_rules=False)
    prediction = predict(categorizer, "-400.00", "PRLV SOGELEAS CONTR 1")
    assert (
        prediction.source == "modèle"
        and prediction.code == "credit_bail"
        and "probabilité" in prediction.reason
    )


def test_classifier_never_proposes_a_category_for_a_direction_it_never_saw():
    classifier = CategoryClassifier(min_examples=10).fit(
        [label for label, _, _ in HISTORY],
        [amount for _, amount, _ in HISTORY],
        [code for _, _, code in HISTORY],
    )
    categorizer = Categorizer(classifier=classifier, use_default_rules=False)
    assert predict(categorizer, "400.00", "VIR RECU SOGELEASE") is None


def test_classifier_waits_for_enough_history():
    classifier = CategoryClassifier().fit(["PRLV EDF"], [Decimal(-1)], ["energie"])
    assert not classifier.is_fitted
    with pytest.raises(MatchingError, match="pas assez d'historique"):
        classifier.predict(["PRLV EDF"], [Decimal(-1)])


def test_categorizer_fit_combines_learned_rules_and_model():
    categorizer = Categorizer.fit(HISTORY, min_examples=10)
    assert categorizer.classifier is not None and categorizer.classifier.is_fitted
    assert predict(categorizer, "-430.00", "PRLV SOGELEASE 11111").code == "credit_bail"
    assert predict(categorizer, "-99.00", "PRLV SEPA URSSAF BOURGOGNE").pcg_account == "431"


def test_categorizer_fit_rejects_unknown_categories():
    with pytest.raises(MatchingError, match="divers"):
        Categorizer.fit([("X", Decimal(-1), "divers")])
