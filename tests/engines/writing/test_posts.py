"""Social posts, template path: facts, no invented number, length limits, voice, slots, bad input."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from etabli.engines.llm import AI_LABEL, TEMPLATE_LABEL, LLMEngine, TemplateProvider, Voice, check_grounding
from etabli.engines.writing import CompanyProfile, Offer, WritingError, write_posts
from etabli.engines.writing.posts import NETWORKS, post_facts, weighted_length

from .conftest import numbers_in

WEEK = dt.date(2026, 11, 23)  # a Monday


def _input_numbers(company: CompanyProfile) -> set[str]:
    facts = post_facts(company, "offre") | post_facts(company, "evenement", company.events[0])
    return numbers_in(str(facts)) | numbers_in(str(company))


def test_three_posts_for_the_guide_themes(company: CompanyProfile, vous_voice: Voice) -> None:
    result = write_posts(company, ["conseil", "témoignage", "offre du mois"], week_start=WEEK, voice=vous_voice)
    assert [post.theme for post in result.posts] == ["conseil", "temoignage", "offre"]
    for post in result.posts:
        assert post.text.strip() and post.network == "facebook"
        assert not post.generated_by_ai and post.label == TEMPLATE_LABEL
        assert post.hashtags and all(tag in post.text for tag in post.hashtags)
        assert len(post.hashtags) <= NETWORKS["facebook"].max_hashtags
        assert not [w for w in post.warnings if w.startswith("Fait non vérifié")]
    offer = result.posts[2].text
    assert "Pose de fenêtres en chêne" in offer
    assert "1\u202f290\xa0€ au lieu de 1\u202f490\xa0€" in offer
    assert "du 1er novembre au 30 novembre" in offer
    assert "« Travail soigné, délais tenus, je recommande ! » — Claire Dubois, Villeurbanne" in result.posts[1].text


def test_no_number_or_date_outside_the_input(company: CompanyProfile, vous_voice: Voice) -> None:
    result = write_posts(company, ["conseil", "temoignage", "offre", "coulisses", "evenement"],
                         networks=["facebook", "instagram", "linkedin", "x"], week_start=WEEK, voice=vous_voice)
    allowed = _input_numbers(company)
    for post in result.posts:
        assert numbers_in(post.text) <= allowed, (post.theme, post.network, post.text)
        report = check_grounding(post.text, post_facts(company, post.theme, company.events[0]) | {"tags": post.hashtags})
        assert report.ok, report.summary_fr


def test_length_limits_per_network_with_facts_kept(company: CompanyProfile, vous_voice: Voice) -> None:
    long_offer = dataclasses.replace(
        company.offer, conditions="valable pour toute commande de fenêtres, portes-fenêtres et volets " * 6  # type: ignore[arg-type]
    )
    shop = dataclasses.replace(company, offer=long_offer)
    result = write_posts(shop, ["offre", "temoignage", "evenement"], networks=["x", "instagram"], week_start=WEEK, voice=vous_voice)
    for post in result.posts:
        assert weighted_length(post.text, post.network) <= NETWORKS[post.network].limit
        assert post.length == weighted_length(post.text, post.network)
    x_offer = next(p for p in result.posts if p.network == "x" and p.theme == "offre")
    assert weighted_length(x_offer.text, "x") <= 280
    assert "1\u202f290\xa0€" in x_offer.text and "30 novembre" in x_offer.text  # price and date survive the cut
    assert any("raccourci" in w or "coupée" in w for w in x_offer.warnings)
    assert len(x_offer.hashtags) <= 2


def test_x_counts_emojis_twice() -> None:
    assert weighted_length("🎁 a", "x") == 4
    assert weighted_length("🎁 a", "facebook") == 3


def test_tutoiement_banned_words_and_sober_tone(company: CompanyProfile, tu_voice: Voice) -> None:
    result = write_posts(company, ["conseil", "temoignage", "offre", "coulisses", "evenement"], week_start=WEEK, voice=tu_voice, seed=3)
    for post in result.posts:
        assert not [w for w in post.warnings if "tutoiement" in w or "Mot(s) à éviter" in w], post.warnings
        lowered = post.text.lower()
        assert " vous " not in f" {lowered} " and "votre" not in lowered
        assert "découvrez" not in lowered and "profitez" not in lowered
        assert "🎁" not in post.text and "💡" not in post.text  # sober tone: no emoji
    assert any(" ta " in f" {p.text} " or " te " in f" {p.text} " or " tu " in f" {p.text} " or "ton " in p.text for p in result.posts)


def test_without_testimonial_the_post_asks_for_reviews(company: CompanyProfile, vous_voice: Voice) -> None:
    shop = dataclasses.replace(company, testimonials=())
    [post] = write_posts(shop, ["témoignage"], voice=vous_voice).posts
    assert "«" not in post.text  # no invented quote
    assert "avis" in post.text.lower()
    assert any("Aucun témoignage fourni" in w for w in post.warnings)


def test_offer_theme_without_offer_or_event_is_an_error(company: CompanyProfile) -> None:
    with pytest.raises(WritingError, match="sans offre"):
        write_posts(dataclasses.replace(company, offer=None), ["offre"])
    with pytest.raises(WritingError, match="sans événement"):
        write_posts(dataclasses.replace(company, events=()), ["événement"])


def test_unknown_theme_network_and_empty_inputs(company: CompanyProfile) -> None:
    with pytest.raises(WritingError, match="Thème inconnu"):
        write_posts(company, ["horoscope"])
    with pytest.raises(WritingError, match="Réseau inconnu"):
        write_posts(company, ["conseil"], networks=["myspace"])
    with pytest.raises(WritingError, match="Aucun thème"):
        write_posts(company, [" "])
    with pytest.raises(WritingError, match="nom de l'entreprise"):
        write_posts(CompanyProfile(name="", trade=""), ["conseil"])
    with pytest.raises(WritingError, match="Prix invalide"):
        write_posts(dataclasses.replace(company, offer=Offer("Promo", price="gratuit")), ["offre"])


def test_suggested_slots_are_distinct_days_within_offer_and_before_event(company: CompanyProfile) -> None:
    result = write_posts(company, ["conseil", "offre", "temoignage", "evenement", "coulisses"], networks=["instagram"], week_start=WEEK)
    days = [post.suggested_at.date() for post in result.posts if post.suggested_at]
    assert len(days) == 5 and len(set(days)) == 5
    assert all(WEEK <= day <= WEEK + dt.timedelta(days=6) for day in days)
    offer_post = next(p for p in result.posts if p.theme == "offre")
    assert company.offer.start <= offer_post.suggested_at.date() <= company.offer.end  # type: ignore[union-attr]
    event_post = next(p for p in result.posts if p.theme == "evenement")
    assert event_post.suggested_at.date() <= company.events[0].date  # type: ignore[union-attr]
    assert event_post.suggested_slot.startswith(("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"))


def test_count_cycles_themes_and_seed_varies_wording(company: CompanyProfile) -> None:
    result = write_posts(company, ["conseil", "offre"], count=4, week_start=WEEK)
    assert [p.theme for p in result.posts] == ["conseil", "offre", "conseil", "offre"]
    texts = {write_posts(company, ["conseil"], seed=seed).posts[0].text for seed in range(6)}
    assert len(texts) >= 3
    progress: list[tuple[int, int]] = []
    write_posts(company, ["conseil", "offre"], networks=["x", "facebook"], progress=lambda d, t: progress.append((d, t)))
    assert progress == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_template_engine_gives_the_same_post_with_its_reason(company: CompanyProfile, vous_voice: Voice) -> None:
    plain = write_posts(company, ["offre"], week_start=WEEK, voice=vous_voice).posts[0]
    via_engine = write_posts(company, ["offre"], week_start=WEEK, voice=vous_voice, engine=LLMEngine(TemplateProvider())).posts[0]
    assert via_engine.text == plain.text
    assert not via_engine.generated_by_ai and via_engine.label != AI_LABEL
    assert via_engine.draft.provider == "template" and "Aucun modèle" in (via_engine.draft.fallback_reason or "")
