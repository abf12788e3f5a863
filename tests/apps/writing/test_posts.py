"""Posts for the week (guide ch. 6.1 A): template path, model path, grounding flag, per-network limits,
and French refusals for what a theme needs but the profile lacks."""

import datetime as dt
import re

import pytest

from etabli.core.models import AIDecision
from etabli.engines.llm import AI_LABEL, NO_MODEL_REASON, TEMPLATE_LABEL
from etabli.engines.writing import WritingError
from etabli.engines.writing.posts import NETWORKS, weighted_length
from etabli.writing import models as writing_models
from etabli.writing import services
from etabli.writing.models import Batch, Draft
from tests.apps.writing.factories import WEEK, make_posts_batch, make_profile

pytestmark = pytest.mark.django_db


def offer_post(batch):
    return batch.drafts.get(metadata__theme="offre")


class TestTemplatePath:
    def test_three_labelled_posts_from_the_profile_facts(self, company, profile):
        batch = make_posts_batch(company)
        drafts = list(batch.drafts.order_by("position"))
        assert batch.status == "done" and batch.provider == "template"
        assert [d.metadata["theme"] for d in drafts] == ["conseil", "temoignage", "offre"]
        for draft in drafts:
            assert not draft.generated_by_ai and draft.label == TEMPLATE_LABEL and draft.needs_label
            assert draft.fallback_reason == NO_MODEL_REASON
            assert draft.status == "draft" and not draft.flagged
            assert draft.metadata["network"] == "facebook" and draft.metadata["length"] == len(draft.text)
        offer = offer_post(batch).text
        assert "849\u00a0€" in offer and "979\u00a0€" in offer and "20 décembre" in offer
        testimonial = batch.drafts.get(metadata__theme="temoignage").text
        assert "Escalier sur mesure posé en deux jours" in testimonial and "Camille D." in testimonial

    def test_every_post_is_logged_in_the_ai_decision_log(self, company, profile):
        batch = make_posts_batch(company)
        decisions = AIDecision.objects.filter(company=company, use_case="writing.posts")
        assert decisions.count() == 3
        assert {d.engine for d in decisions} == {"llm:template"}
        assert {d.decision_id for d in batch.drafts.all()} == set(decisions.values_list("pk", flat=True))

    def test_slots_fall_in_the_planned_week_and_the_offer_is_announced_while_valid(self, company, profile):
        make_profile(company, offer_end=dt.date(2026, 12, 1))
        batch = make_posts_batch(company)
        for draft in batch.drafts.all():
            moment = dt.datetime.fromisoformat(draft.metadata["suggested_at"]).date()
            assert WEEK <= moment <= WEEK + dt.timedelta(days=6)
        offer_day = dt.datetime.fromisoformat(offer_post(batch).metadata["suggested_at"]).date()
        assert offer_day <= dt.date(2026, 12, 1)

    def test_each_network_gets_its_length_and_hashtag_rules(self, company, profile):
        batch = make_posts_batch(company, networks=["x", "instagram", "linkedin"])
        assert batch.drafts.count() == 9
        for draft in batch.drafts.all():
            rules = NETWORKS[draft.metadata["network"]]
            assert weighted_length(draft.text, rules.key) <= rules.limit
            assert draft.metadata["limit"] == rules.limit
            assert len(re.findall(r"#\w+", draft.text)) <= rules.max_hashtags

    def test_a_testimonial_without_consent_is_never_quoted(self, company, profile):
        writing_models.Testimonial.objects.filter(company=company).update(consent=False)
        text = make_posts_batch(company, themes=["temoignage"]).drafts.get().text
        assert "Escalier sur mesure" not in text and "avis" in text.lower()

    def test_count_cycles_the_themes(self, company, profile):
        batch = make_posts_batch(company, themes=["conseil", "offre"], count=5)
        assert [d.metadata["theme"] for d in batch.drafts.order_by("position")] == [
            "conseil", "offre", "conseil", "offre", "conseil"]


class TestRefusals:
    @pytest.mark.parametrize(("themes", "fields", "message"), [
        (["horoscope"], {}, "Thème inconnu : « horoscope »"),
        ([], {}, "Aucun thème choisi"),
        (["offre"], {"offer_title": "", "offer_price": None, "offer_regular_price": None, "offer_start": None,
                     "offer_end": None}, "sans offre"),
        (["offre"], {"offer_end": dt.date(2026, 11, 20)}, "s'est terminée le 20/11/2026"),
        (["offre"], {"offer_start": dt.date(2027, 1, 4), "offer_end": dt.date(2027, 1, 31)}, "ne commence que le 04/01/2027"),
        (["conseil"], {"trade": ""}, "Profil de rédaction incomplet"),
    ])
    def test_bad_requests_are_refused_in_french_and_store_nothing(self, company, themes, fields, message):
        if "trade" in fields:
            from etabli.writing.models import WritingProfile

            make_profile(company)
            WritingProfile.objects.filter(company=company).update(trade="")
        else:
            make_profile(company, **fields)
        with pytest.raises(WritingError, match=re.escape(message)):
            services.request_posts(company=company, themes=themes, week_start=WEEK, run="inline")
        assert not Batch.objects.filter(company=company).exists()

    def test_event_theme_needs_an_upcoming_event(self, company, profile):
        with pytest.raises(WritingError, match="sans événement à venir"):
            services.request_posts(company=company, themes=["evenement"], week_start=dt.date(2027, 1, 4), run="inline")
        batch = services.request_posts(company=company, themes=["evenement"], week_start=WEEK, run="inline")
        assert "Portes ouvertes de l'atelier" in batch.drafts.get().text

    def test_unknown_network_and_silly_count(self, company, profile):
        with pytest.raises(WritingError, match="Réseau inconnu"):
            services.request_posts(company=company, themes=["conseil"], networks=["myspace"], run="inline")
        with pytest.raises(WritingError, match="entre 1 et 14"):
            services.request_posts(company=company, themes=["conseil"], count=40, run="inline")


class TestModelPath:
    def test_the_company_model_writes_the_posts_and_each_call_is_logged(self, company, profile, use_server):
        server = use_server()
        batch = make_posts_batch(company)
        assert len(server.requests) == 3 and batch.provider == "openai-compatible"
        for draft in batch.drafts.all():
            assert draft.generated_by_ai and draft.label == AI_LABEL and draft.provider == "openai-compatible"
            assert draft.decision.engine == "llm:openai-compatible" and draft.decision.generated_text
        offer_prompt = next(p for p in server.prompts() if "offre du mois" in p)
        assert "849\u00a0€" in offer_prompt and "979\u00a0€" in offer_prompt and "20/12/2026" in offer_prompt

    def test_a_model_draft_citing_a_wrong_price_is_flagged_and_not_offered(self, company, profile, use_server):
        use_server().default = lambda payload: (
            "Offre spéciale : 499 € seulement jusqu'au 31 décembre !" if "offre du mois" in
            payload["messages"][-1]["content"] else "Un travail soigné, parlons de votre projet.")
        batch = make_posts_batch(company)
        flagged = offer_post(batch)
        assert flagged.flagged and not flagged.generated_by_ai and flagged.label == TEMPLATE_LABEL
        assert "849\u00a0€" in flagged.text and "499" not in flagged.text
        assert flagged.rejected_text == "Offre spéciale : 499 € seulement jusqu'au 31 décembre !"
        assert any("499" in w for w in flagged.grounding_warnings)
        assert any("31 décembre" in w for w in flagged.grounding_warnings)
        assert batch.result["flagged"] == 1
        others = batch.drafts.exclude(pk=flagged.pk)
        assert all(d.generated_by_ai and not d.flagged for d in others)
        assert Draft.objects.filter(company=company, flagged=True).count() == 1
