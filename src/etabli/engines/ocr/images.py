"""Check a scan or photo before decoding it, then wrap it in a PDF for OCRmyPDF.

Why the checks come first: a small PNG can claim 50 000 × 50 000 pixels (a "decompression bomb") and
exhaust the worker's memory once decoded. Pillow reads the size from the header without decoding, so
the limit is enforced before any pixel is allocated. Why a PDF wrapper: OCRmyPDF reads single images only,
and assumes 96 dpi when a photo carries no resolution; we wrap every frame with img2pdf (lossless for
JPEG) at a resolution guessed from an A4 page, so the searchable copy has a sensible page size.
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass

import img2pdf
from PIL import Image, UnidentifiedImageError

from etabli.engines.ocr.errors import (
    CORRUPT_IMAGE,
    DECOMPRESSION_BOMB,
    TOO_MANY_PAGES,
    DocumentReadError,
)
from etabli.engines.ocr.models import ReadOptions

log = logging.getLogger(__name__)

A4_LONG_SIDE_INCHES = 11.69
MIN_DPI, MAX_DPI = 72, 600


@dataclass(frozen=True)
class ImageInfo:
    width: int
    height: int
    frames: int
    dpi: float


def inspect_image(data: bytes, options: ReadOptions) -> ImageInfo:
    """Size, frame count and resolution of an image, refusing bombs and undecodable files."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                frames = int(getattr(image, "n_frames", 1))
                _check_pixels(width, height, frames, options)
                if frames > options.max_pages:
                    raise DocumentReadError(
                        TOO_MANY_PAGES,
                        f"L'image contient {frames} pages ; la limite est de {options.max_pages}.",
                    )
                dpi = _resolution(image)
                image.load()  # decode the first frame: a truncated or corrupt file fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb_error(str(exc)) from exc
    except DocumentReadError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DocumentReadError(
            CORRUPT_IMAGE, "L'image est endommagée ou tronquée : elle ne peut pas être lue."
        ) from exc
    if dpi is None:
        dpi = min(MAX_DPI, max(MIN_DPI, max(width, height) / A4_LONG_SIDE_INCHES))
    return ImageInfo(width=width, height=height, frames=frames, dpi=round(dpi, 1))


def _check_pixels(width: int, height: int, frames: int, options: ReadOptions) -> None:
    if width <= 0 or height <= 0:
        raise DocumentReadError(CORRUPT_IMAGE, "L'image n'a pas de dimensions valides.")
    if width * height > options.max_image_pixels or width * height * frames > 4 * options.max_image_pixels:
        raise _bomb_error(f"{width}×{height} pixels, {frames} page(s)")


def _bomb_error(detail: str) -> DocumentReadError:
    return DocumentReadError(
        DECOMPRESSION_BOMB,
        "L'image annonce une taille démesurée (" + detail + ") : elle a été refusée pour protéger "
        "le serveur (possible « bombe de décompression »).",
    )


def _resolution(image: Image.Image) -> float | None:
    dpi = image.info.get("dpi")
    if not dpi:
        return None
    try:
        value = float(dpi[0])
    except (TypeError, ValueError, IndexError):
        return None
    return value if MIN_DPI <= value <= 1200 else None


def image_to_pdf(data: bytes, info: ImageInfo) -> bytes:
    """Every frame of the image as one PDF page at ``info.dpi`` (JPEG embedded without re-encoding)."""
    layout = img2pdf.get_fixed_dpi_layout_fun((info.dpi, info.dpi))
    try:
        return img2pdf.convert(data, layout_fun=layout, rotation=img2pdf.Rotation.ifvalid)
    except Exception as exc:  # noqa: BLE001 - img2pdf refuses alpha channels, CMYK PNG…: re-encode below
        log.info("img2pdf a refusé l'image telle quelle (%s) : ré-encodage en PNG", type(exc).__name__)
    frames = _frames_as_png(data)
    try:
        return img2pdf.convert(frames, layout_fun=layout, rotation=img2pdf.Rotation.ifvalid)
    except Exception as exc:
        raise DocumentReadError(
            CORRUPT_IMAGE, "L'image n'a pas pu être convertie pour la reconnaissance de texte."
        ) from exc


def _frames_as_png(data: bytes) -> list[bytes]:
    """Re-encode each frame as an opaque 8-bit PNG (flattening transparency onto white)."""
    output: list[bytes] = []
    with Image.open(io.BytesIO(data)) as image:
        for index in range(int(getattr(image, "n_frames", 1))):
            image.seek(index)
            frame = image.convert("RGBA")
            background = Image.new("RGB", frame.size, "white")
            background.paste(frame, mask=frame.getchannel("A"))
            buffer = io.BytesIO()
            background.save(buffer, format="PNG", dpi=image.info.get("dpi", (300, 300)))
            output.append(buffer.getvalue())
    return output
