from __future__ import annotations

from etabli.engines.matching import MatchMemory, PastMatch


def test_alias_strength_grows_with_support():
    once = MatchMemory().fit([("VIR HOLDING DPT INVEST", "dupont")]).hints("VIR HOLDING DPT INVEST")
    twice = MatchMemory().fit([("VIR HOLDING DPT INVEST", "dupont")] * 2).hints("VIR HOLDING DPT INVEST")
    assert once[0].partner == "dupont" and twice[0].partner == "dupont"
    assert 0 < once[0].strength < twice[0].strength < 1


def test_words_shared_by_several_partners_teach_nothing():
    memory = MatchMemory().fit(
        [("VIR CHANTIER NORD", "dupont"), ("VIR CHANTIER SUD", "martin"), ("VIR CHANTIER EST", "leblanc")]
    )
    assert all(hint.alias != "CHANTIER" for hint in memory.hints("VIR CHANTIER"))
    assert memory.hints("VIR CHANTIER") == []


def test_iban_and_counterparty_name_are_learned():
    memory = MatchMemory().fit(
        [
            PastMatch(
                label="VIR SEPA",
                partner=7,
                counterparty_name="SARL DPT",
                counterparty_iban="FR76 3000 6000 0112 3456 7890 189",
            )
        ]
    )
    (hint,) = memory.hints("VIR", counterparty_iban="FR7630006000011234567890189")
    assert hint.kind == "iban" and hint.partner == 7 and hint.strength == 1.0
    assert memory.hints("VIR", counterparty_name="DPT SARL")[0].partner == 7


def test_add_learns_incrementally_and_fit_resets():
    memory = MatchMemory()
    memory.add(("VIR HOLDING DPT", "dupont"))
    assert memory.n_examples == 1 and memory.hints("HOLDING DPT")
    memory.fit([])
    assert memory.n_examples == 0 and memory.hints("HOLDING DPT") == []
