"""No network call without a configured provider: every feature runs with sockets blocked."""

from __future__ import annotations

import socket

import pytest

from etabli.engines.llm import Voice
from etabli.engines.writing import CompanyProfile, RuleTriager

from .conftest import MAIL, run_every_feature


def test_every_feature_runs_with_sockets_blocked(monkeypatch: pytest.MonkeyPatch, company: CompanyProfile, vous_voice: Voice) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("appel réseau interdit")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    results = run_every_feature(None, company, vous_voice)
    assert all(text for text, _ai, _label in results.values())
    assert RuleTriager().predict(MAIL).label == "a_traiter"
