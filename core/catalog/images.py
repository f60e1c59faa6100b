"""Open an image file safely: size checked before decoding, any unreadable file a reason instead of an exception."""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from core.catalog.paths import SkipReason, resolve_inside

MAX_PIXELS = 40_000_000  # 40 Mpx: far above any ad creative, far below what would exhaust memory when decoded
THUMB_SIDE = 512  # longest side of a gallery card / chat thumbnail
LARGE_SIDE = 1600  # longest side of the large view
THUMB_FORMAT = "PNG"
# What Pillow raises on broken files: OSError (truncated; UnidentifiedImageError is one), and from some
# decoders ValueError, SyntaxError, EOFError or struct.error.
DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, struct.error)


class ImageProblem(str, Enum):
    """Why an image is shown as a placeholder."""

    OUTSIDE = SkipReason.OUTSIDE.value
    MISSING = "file is missing"
    FOLDER = "is a folder, not an image"
    NOT_AN_IMAGE = "is not an image Pillow can read"
    TOO_LARGE = "is too large to open safely"
    DAMAGED = "is damaged or truncated"


@dataclass(frozen=True)
class ImageCheck:
    """An image opened safely: a downsized PNG to show, or the reason there is none."""

    path: Path
    thumbnail: bytes | None = None
    width: int = 0
    height: int = 0
    problem: ImageProblem | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        """True when there is a thumbnail to show."""
        return self.thumbnail is not None

    def reason(self, name: str | None = None) -> str:
        """The placeholder text: 'bomb.png is too large to open safely (20000×20000 pixels, …)'."""
        if self.problem is None:
            return ""
        label = name or self.path.name
        return f"{label} {self.problem.value}" + (f" ({self.detail})" if self.detail else "")


def _declared_size(path: Path) -> tuple[int, int] | ImageCheck:
    """Width and height from the header alone (no pixel data decoded), or the failed check."""
    try:
        with Image.open(path) as img:
            return img.size
    except Image.DecompressionBombError as exc:  # Pillow's own, far higher, limit
        return ImageCheck(path, problem=ImageProblem.TOO_LARGE, detail=str(exc).split(",")[0])
    except UnidentifiedImageError:
        return ImageCheck(path, problem=ImageProblem.NOT_AN_IMAGE)
    except DECODE_ERRORS as exc:
        return ImageCheck(path, problem=ImageProblem.DAMAGED, detail=str(exc))


def _downsized(img: Image.Image, max_side: int) -> bytes:
    """The decoded image shrunk to fit max_side × max_side, as PNG bytes."""
    img.load()  # decode everything, so a truncated file fails here and not in the browser
    img.thumbnail((max_side, max_side))
    if img.mode not in ("RGB", "RGBA", "L", "LA"):
        img = img.convert("RGBA")
    out = io.BytesIO()
    img.save(out, THUMB_FORMAT)
    return out.getvalue()


def open_image(path: Path | str, max_pixels: int = MAX_PIXELS, max_side: int = THUMB_SIDE) -> ImageCheck:
    """Check the declared size against max_pixels before decoding, then decode and downsize; never raises
    for a missing, non-image, truncated or oversized file (the check says why)."""
    path = Path(path)
    if path.is_dir():
        return ImageCheck(path, problem=ImageProblem.FOLDER)
    if not path.is_file():
        return ImageCheck(path, problem=ImageProblem.MISSING)
    size = _declared_size(path)
    if isinstance(size, ImageCheck):
        return size
    width, height = size
    if width * height > max_pixels:
        return ImageCheck(path, width=width, height=height, problem=ImageProblem.TOO_LARGE,
                          detail=f"{width}×{height} pixels, limit {max_pixels / 1e6:g} Mpx")
    try:
        with Image.open(path) as img:
            return ImageCheck(path, _downsized(img, max_side), width, height)
    except (Image.DecompressionBombError, *DECODE_ERRORS) as exc:
        return ImageCheck(path, width=width, height=height, problem=ImageProblem.DAMAGED, detail=str(exc))


def open_image_inside(root: Path, candidate: str | Path, max_pixels: int = MAX_PIXELS,
                      max_side: int = THUMB_SIDE) -> ImageCheck:
    """`open_image` of candidate (absolute, or relative to root) only if its real path lies inside root."""
    real = resolve_inside(root, candidate)
    if real is None:
        return ImageCheck(Path(candidate), problem=ImageProblem.OUTSIDE)
    return open_image(real, max_pixels=max_pixels, max_side=max_side)


def modified(path: Path | str) -> float:
    """The file's modification time, 0.0 when it cannot be read (a cache key, never an error)."""
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return 0.0
