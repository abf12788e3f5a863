"""Shared classifiers: training is the slow part, so each kind is trained once per test session."""

from __future__ import annotations

import pytest

from etabli.engines.classify import DocumentClassifier


@pytest.fixture(scope="session")
def seed_classifier() -> DocumentClassifier:
    """The day-one classifier exactly as the app builds it (default seed corpus)."""
    return DocumentClassifier.seed()


@pytest.fixture(scope="session")
def small_classifier_bytes() -> bytes:
    """A quicker classifier for tests that retrain (a smaller seed corpus, no calibration folds)."""
    return DocumentClassifier.seed(n_per_class=40, calibrate=False).to_bytes()


@pytest.fixture()
def small_classifier(small_classifier_bytes: bytes) -> DocumentClassifier:
    """A fresh copy for each test, so that one test's corrections never leak into another."""
    return DocumentClassifier.from_bytes(small_classifier_bytes)
