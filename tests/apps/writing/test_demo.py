"""The "redaction" demo loader: Menuiserie Martin's writing profile, usable at once for the week's posts."""

import datetime as dt

import pytest

from etabli.core.demo.dataset import generate
from etabli.core.registry import registry
from etabli.writing import selectors, services
from etabli.writing.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_loader_is_registered_and_stores_a_dated_profile(company):
    assert "redaction" in [name for _order, name, _loader in registry.demo_loaders]
    today = dt.date(2026, 11, 26)
    load_demo(company=company, dataset=generate(seed=1, today=today))
    profile = selectors.profile_for(company=company)
    assert profile.trade == "menuiserie" and profile.city == "Nantes" and len(profile.product_list) == 6
    assert profile.offer_start < today < profile.offer_end and profile.offer_price < profile.offer_regular_price
    testimonials = list(selectors.testimonials(company=company))
    assert len(testimonials) == 3 and all(t.consent and t.author.endswith(".") for t in testimonials)
    event = selectors.events(company=company).get()
    assert event.date.weekday() == 5 and event.date > today
    batch = services.request_posts(company=company, themes="conseil,temoignage,offre,coulisses,evenement",
                                   week_start=dt.date(2026, 11, 30), run="inline")
    assert batch.status == "done" and batch.drafts.count() == 5
    offer = batch.drafts.get(metadata__theme="offre").text
    assert f"{profile.offer_price:.0f}\u00a0€ au lieu de {profile.offer_regular_price:.0f}\u00a0€" in offer


def test_loading_twice_replaces_rather_than_duplicates(company):
    dataset = generate(seed=1, today=dt.date(2026, 11, 26))
    load_demo(company=company, dataset=dataset)
    load_demo(company=company, dataset=dataset)
    assert selectors.testimonials(company=company).count() == 3 and selectors.events(company=company).count() == 1
