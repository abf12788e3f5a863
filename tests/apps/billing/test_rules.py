"""Pure billing rules: due dates and legal terms, late penalties to the cent, dunning tone, aging, DSO, and
the VAT rounding rule (EN 16931: line nets rounded, VAT once per rate on the sum, totals = sums)."""

import datetime as dt
from decimal import Decimal

import pytest

from etabli.billing import dunning_texts
from etabli.billing.rules import (
    PaymentHistory,
    aging_bucket,
    check_terms,
    choose_tone,
    dso,
    due_date_for,
    late_penalties,
    penalty_claim,
    weighted_average_delay,
)
from etabli.billing.services.documents import breakdown_for


def line(net, rate="20", category="S"):
    return {
        "net_amount": Decimal(net),
        "vat_rate": Decimal(rate),
        "vat_category": category,
        "vat_exemption_text": "",
    }


class TestTerms:
    def test_due_date_from_terms(self):
        assert due_date_for(dt.date(2026, 11, 26), 30) == dt.date(2026, 12, 26)
        assert due_date_for(dt.date(2026, 1, 31), 0) == dt.date(2026, 1, 31)

    def test_end_of_month_counts_45_days_then_end_of_month(self):
        assert due_date_for(dt.date(2026, 1, 10), 45, end_of_month_terms=True) == dt.date(2026, 2, 28)
        assert due_date_for(dt.date(2026, 1, 20), 45, end_of_month_terms=True) == dt.date(2026, 3, 31)

    def test_legal_maximum_terms(self):
        assert check_terms(60) is None and check_terms(45, True) is None
        assert "60 jours" in check_terms(61)
        assert "45 jours" in check_terms(50, True)
        assert "négatif" in check_terms(-1)


class TestPenalties:
    def test_ecb_plus_ten_points_to_the_cent(self):
        # 1 234,56 € × 12,15 % × 45 / 365 = 18,4930… → 18,49 €
        assert late_penalties(Decimal("1234.56"), 45, Decimal("12.15")) == Decimal("18.49")
        # 5 000 € × 12,15 % × 30 / 365 = 49,9315… → 49,93 €
        assert late_penalties(Decimal("5000"), 30, Decimal("12.15")) == Decimal("49.93")
        # half up: 100 € × 10 % × 73 / 365 = 2,00 exactly; 365 days of 1 000 € at 12,15 % = 121,50
        assert late_penalties(Decimal("100"), 73, Decimal("10")) == Decimal("2.00")
        assert late_penalties(Decimal("1000"), 365, Decimal("12.15")) == Decimal("121.50")

    def test_no_penalty_before_or_on_the_due_date(self):
        assert late_penalties(Decimal("1000"), 0, Decimal("12.15")) == Decimal("0.00")
        assert late_penalties(Decimal("1000"), -3, Decimal("12.15")) == Decimal("0.00")

    def test_claim_between_professionals_includes_the_40_euro_indemnity(self):
        claim = penalty_claim(
            principal=Decimal("2354.40"),
            due_date=dt.date(2026, 10, 1),
            as_of=dt.date(2026, 11, 1),
            annual_rate_percent=Decimal("12.15"),
            indemnity=Decimal("40"),
            professional=True,
        )
        assert claim.days_late == 31
        # 2 354,40 × 0,1215 × 31 / 365 = 24,2953… → 24,30
        assert claim.penalties == Decimal("24.30")
        assert claim.indemnity == Decimal("40.00")
        assert claim.total == Decimal("2418.70")

    def test_private_customer_gets_neither_penalties_nor_indemnity(self):
        claim = penalty_claim(
            principal=Decimal("800"),
            due_date=dt.date(2026, 10, 1),
            as_of=dt.date(2026, 11, 1),
            annual_rate_percent=Decimal("12.15"),
            indemnity=Decimal("40"),
            professional=False,
        )
        assert (claim.penalties, claim.indemnity, claim.total) == (
            Decimal("0.00"),
            Decimal("0.00"),
            Decimal("800.00"),
        )


class TestTone:
    def test_new_customer_is_informed(self):
        tone, reason = choose_tone(
            PaymentHistory(
                invoices_before=1, recent_outcomes=(False,), other_overdue=0, customer_age_days=400
            )
        )
        assert tone == "informative" and "Nouveau client" in reason

    def test_recent_customer_is_informed_even_with_invoices(self):
        tone, _ = choose_tone(PaymentHistory(5, (False,) * 5, 0, customer_age_days=40))
        assert tone == "informative"

    def test_loyal_customer_first_delay_is_courteous(self):
        tone, reason = choose_tone(PaymentHistory(12, (False, False, True, False, False), 0, 900))
        assert tone == "courteous"
        assert reason == "Client fidèle (1 retard sur les 5 dernières factures) → ton courtois"

    def test_recurrent_late_payer_is_firm(self):
        tone, reason = choose_tone(PaymentHistory(12, (True, False, True, False, True), 0, 900))
        assert tone == "firm" and "3 retards sur les 5 dernières factures" in reason

    def test_another_overdue_invoice_makes_it_firm(self):
        tone, reason = choose_tone(PaymentHistory(8, (False,) * 5, 1, 900))
        assert tone == "firm" and "1 autre facture en retard" in reason


class TestTemplates:
    FACTS = {
        "greeting": "Madame, Monsieur,",
        "customer": "SCI Test",
        "number": "FA-2026-00042",
        "issue_date": "01/10/2026",
        "due_date": "31/10/2026",
        "amount_open": "1 200,00 €",
        "total_ttc": "1 200,00 €",
        "days_late": "15",
        "company": "Menuiserie",
        "signature": "Menuiserie",
        "penalty_rate": "12,15 %",
        "penalties": "5,99 €",
        "indemnity": "40,00 €",
        "total_claimed": "1 245,99 €",
        "payment_info": "",
        "legal_reminder": ".",
        "claim_detail": "- principal : 1 200,00 €\n",
    }

    @pytest.mark.parametrize("level", ["courtesy", "reminder", "firm", "formal_notice"])
    @pytest.mark.parametrize("tone", ["courteous", "informative", "firm"])
    def test_every_step_and_tone_states_the_facts(self, level, tone):
        subject, body = dunning_texts.render(level, tone, self.FACTS)
        assert "FA-2026-00042" in subject and "FA-2026-00042" in body
        assert "1 200,00 €" in body and "31/10/2026" in body
        assert "{" not in body and "}" not in body

    def test_tones_differ_in_wording(self):
        bodies = {
            tone: dunning_texts.render("reminder", tone, self.FACTS)[1]
            for tone in ("courteous", "informative", "firm")
        }
        assert "simple oubli" in bodies["courteous"]
        assert "Pour mémoire, nos conditions" in bodies["informative"]
        assert "sans délai" in bodies["firm"]
        assert len(set(bodies.values())) == 3

    def test_formal_notice_is_a_formal_notice(self):
        subject, body = dunning_texts.render("formal_notice", "courteous", self.FACTS)
        assert subject.startswith("Mise en demeure")
        assert "article 1344 du Code civil" in body and "1 245,99 €" in body and "huit jours" in body


class TestVatRounding:
    def test_vat_is_computed_once_per_rate_on_the_sum_of_rounded_lines(self):
        # Three lines of 0,03 € at 20 %: per-line VAT would give 3 × 0,01 = 0,03 €; EN 16931 gives
        # round(0,09 × 20 %) = round(0,018) = 0,02 €.
        ht, tva, ttc, rows = breakdown_for([line("0.03"), line("0.03"), line("0.03")])
        assert (ht, tva, ttc) == (Decimal("0.09"), Decimal("0.02"), Decimal("0.11"))
        assert rows == [{"category": "S", "rate": "20", "base": "0.09", "vat": "0.02", "exemption": ""}]

    def test_line_nets_are_rounded_half_up_before_summing(self):
        from etabli.common.money import line_net

        assert line_net(Decimal("3"), Decimal("0.335")) == Decimal("1.01")  # 1,005 → 1,01 (half up)
        assert line_net(Decimal("2"), Decimal("10.00"), Decimal("12.5")) == Decimal("17.50")

    def test_several_rates_and_an_exemption(self):
        lines = [
            line("1780.00"),
            line("182.00"),
            line("760.00", "5.5"),
            line("100.00", "10"),
            line("50.00", "0", "E"),
        ]
        ht, tva, ttc, rows = breakdown_for(lines)
        assert ht == Decimal("2872.00")
        # 20 %: 1 962 × 0,2 = 392,40 ; 10 % : 10,00 ; 5,5 % : 41,80 ; exonéré : 0
        assert tva == Decimal("444.20") and ttc == Decimal("3316.20")
        assert [(r["category"], r["rate"], r["vat"]) for r in rows] == [
            ("S", "20", "392.40"),
            ("S", "10", "10.00"),
            ("S", "5.5", "41.80"),
            ("E", "0", "0.00"),
        ]


class TestAgingAndDso:
    def test_buckets(self):
        today = dt.date(2026, 11, 26)
        assert aging_bucket(dt.date(2026, 12, 1), today) == "Non échu"
        assert aging_bucket(today, today) == "Non échu"
        assert aging_bucket(dt.date(2026, 11, 25), today) == "1 à 30 jours"
        assert aging_bucket(dt.date(2026, 9, 27), today) == "31 à 60 jours"
        assert aging_bucket(dt.date(2026, 8, 28), today) == "61 à 90 jours"
        assert aging_bucket(dt.date(2026, 1, 1), today) == "Plus de 90 jours"

    def test_dso_and_average_delay(self):
        assert dso(Decimal("50000"), Decimal("150000"), 90) == Decimal("30.0")
        assert dso(Decimal("1"), Decimal("0")) is None
        assert weighted_average_delay([(Decimal("1000"), 30), (Decimal("3000"), 50)]) == Decimal("45.0")
