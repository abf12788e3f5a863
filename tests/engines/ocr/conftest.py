"""Fixtures shared by the reading-engine tests."""

from __future__ import annotations

import pytest

from tests.engines.ocr.builders import INVOICE_LINES, make_pdf


@pytest.fixture(scope="session")
def invoice_pdf() -> bytes:
    return make_pdf([list(INVOICE_LINES)])
