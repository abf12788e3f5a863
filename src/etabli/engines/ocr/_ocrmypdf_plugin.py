"""OCRmyPDF plugin: Tesseract as usual, plus a fast deskew and a copy of each page's hOCR.

Loaded only by :mod:`etabli.engines.ocr.tesseract` through ``ocrmypdf.ocr(plugins=[...])``; it uses the
documented ``get_ocr_engine`` hook. Two changes to the built-in Tesseract engine:

- ``get_deskew`` uses :func:`etabli.engines.ocr.deskew.estimate_skew` (milliseconds) instead of a second
  Tesseract layout pass (≈1 s a page) — see ``deskew.py`` for why that matters on one core;
- ``generate_hocr`` keeps a copy of the hOCR next to the output file (``<output dir>/hocr/``): hOCR
  carries each word's box *and confidence*, which the searchable PDF's text layer loses. Passing the copy
  through the file system (not a global) keeps it correct when OCRmyPDF runs pages in child processes.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from ocrmypdf import hookimpl
from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOcrEngine
from PIL import Image

from etabli.engines.ocr.deskew import estimate_skew

HOCR_FOLDER = "hocr"


class CapturingTesseractEngine(TesseractOcrEngine):
    """Tesseract with a NumPy deskew and hOCR files kept for the word boxes and confidences."""

    @staticmethod
    def get_deskew(input_file: Path, options: Any) -> float:
        with Image.open(input_file) as image:
            return estimate_skew(image)

    @staticmethod
    def generate_hocr(input_file: Path, output_hocr: Path, output_text: Path, options: Any) -> None:
        TesseractOcrEngine.generate_hocr(input_file, output_hocr, output_text, options)
        output_file = getattr(options, "output_file", None)
        if isinstance(output_file, (str, Path)) and Path(output_hocr).exists():
            target = Path(output_file).parent / HOCR_FOLDER
            target.mkdir(exist_ok=True)
            shutil.copyfile(output_hocr, target / Path(output_hocr).name)


@hookimpl
def get_ocr_engine(options: Any) -> CapturingTesseractEngine:
    return CapturingTesseractEngine()
