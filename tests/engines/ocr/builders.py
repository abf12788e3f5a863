"""Builders of test inputs: small PDFs and scans generated in the tests (reportlab, pypdfium2)."""

from __future__ import annotations

import io

import numpy as np
import pypdfium2 as pdfium
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

INVOICE_LINES = (
    (60, 60, 18, "FACTURE N° FA-2026-0042"),
    (60, 100, 12, "Boulangerie Martin SARL"),
    (60, 130, 12, "Date de facture : 15/03/2026"),
    (60, 150, 12, "Date d'échéance : 14/04/2026"),
    (60, 200, 12, "Total HT 350,00 €"),
    (60, 220, 12, "TVA 20 % 70,00 €"),
    (60, 240, 12, "Total TTC 420,00 €"),
    (60, 290, 10, "SIRET 73282932000074 - TVA FR44732829320"),
)


def make_pdf(pages: list[list[tuple[float, float, float, str]]]) -> bytes:
    """A PDF whose pages hold the given (x, y-from-top, font size, text) items, in Helvetica."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    height = A4[1]
    for items in pages:
        for x, top, size, text in items:
            pdf.setFont("Helvetica", size)
            pdf.drawString(x, height - top - size, text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def render(
    pdf: bytes, dpi: int = 200, rotate: float = 0.0, noise: float = 8.0, seed: int = 0
) -> list[Image.Image]:
    """Pages of a PDF as grey images, like a scanner would produce them (mild noise, slight skew)."""
    rng = np.random.default_rng(seed)
    document = pdfium.PdfDocument(pdf)
    images = []
    for page in document:
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        pixels = np.asarray(image, dtype=np.float32) + rng.normal(0, noise, (image.height, image.width))
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
        if rotate:
            image = image.rotate(rotate, fillcolor=255, expand=abs(rotate) >= 90)
        images.append(image)
    document.close()
    return images


def to_png(image: Image.Image, dpi: int = 200) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()
