"""Images are opened safely: declared size checked before decoding; truncated, oversized and non-image files
become a placeholder reason, never an exception."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from core.catalog.images import MAX_PIXELS, THUMB_SIDE, ImageProblem, modified, open_image, open_image_inside

PNG_SIGNATURE_LEN = 8
IHDR_END = PNG_SIGNATURE_LEN + 4 + 4 + 13 + 4  # length, type, data, crc


def png_bytes(width: int = 64, height: int = 48, noisy: bool = False) -> bytes:
    """A real PNG (random pixels when noisy, so its image data is big enough to cut in half)."""
    img = (Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)) if noisy
           else Image.new("RGB", (width, height), (200, 30, 30)))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def bomb_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A small valid PNG whose IHDR declares width × height (CRC recomputed): a decompression bomb's header."""
    png = png_bytes()
    ihdr = bytearray(png[PNG_SIGNATURE_LEN + 8:PNG_SIGNATURE_LEN + 8 + 13])
    ihdr[0:8] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)) & 0xFFFFFFFF)
    return png[:PNG_SIGNATURE_LEN + 8] + bytes(ihdr) + crc + png[IHDR_END:]


def truncated_png() -> bytes:
    """A real PNG cut in half."""
    png = png_bytes(noisy=True)
    return png[:len(png) // 2]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_good_image_is_downsized_and_keeps_its_size(tmp_path):
    check = open_image(write(tmp_path / "big.png", png_bytes(1200, 600)))
    assert check.ok and check.problem is None and (check.width, check.height) == (1200, 600)
    with Image.open(io.BytesIO(check.thumbnail or b"")) as thumb:
        assert max(thumb.size) == THUMB_SIDE and thumb.size == (THUMB_SIDE, THUMB_SIDE // 2)


def test_the_helper_bomb_really_declares_its_size(tmp_path):
    with Image.open(write(tmp_path / "b.png", bomb_png(3000, 2000))) as img:  # below Pillow's own limit
        assert img.size == (3000, 2000)


def test_a_20000_square_bomb_is_refused(tmp_path):
    check = open_image(write(tmp_path / "bomb.png", bomb_png()))
    assert not check.ok and check.problem is ImageProblem.TOO_LARGE
    assert check.reason().startswith("bomb.png is too large to open safely")


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_size_is_checked_before_decoding(tmp_path, monkeypatch):
    """10000×10000 passes Pillow's own limit (179 Mpx) but not ours: it must be refused without decoding."""
    def no_decode(self):
        raise AssertionError("decoded an image over the pixel limit")

    path = write(tmp_path / "mid.png", bomb_png(10_000, 10_000))
    monkeypatch.setattr(Image.Image, "load", no_decode)
    monkeypatch.setattr(Image.Image, "thumbnail", no_decode)
    check = open_image(path)
    assert check.problem is ImageProblem.TOO_LARGE and (check.width, check.height) == (10_000, 10_000)
    assert "10000×10000 pixels" in check.reason() and 10_000 * 10_000 > MAX_PIXELS


def test_the_limit_is_a_parameter(tmp_path):
    path = write(tmp_path / "small.png", png_bytes(10, 10))
    assert open_image(path, max_pixels=99).problem is ImageProblem.TOO_LARGE
    assert open_image(path, max_pixels=100).ok


@pytest.mark.parametrize("name, data, problem", [
    ("truncated.png", truncated_png(), ImageProblem.DAMAGED),
    ("text.png", b"this is a text file renamed .png\n", ImageProblem.NOT_AN_IMAGE),
    ("empty.png", b"", ImageProblem.NOT_AN_IMAGE),
    ("header_only.png", png_bytes()[:IHDR_END], ImageProblem.NOT_AN_IMAGE),  # Pillow cannot identify it
])
def test_broken_files_are_a_reason_not_an_exception(tmp_path, name, data, problem):
    check = open_image(write(tmp_path / name, data))
    assert not check.ok and check.thumbnail is None and check.problem is problem
    assert check.reason().startswith(name)


def test_a_truncated_jpeg_is_damaged(tmp_path):
    out = io.BytesIO()
    Image.frombytes("RGB", (64, 64), os.urandom(64 * 64 * 3)).save(out, "JPEG")
    check = open_image(write(tmp_path / "cut.jpg", out.getvalue()[:2000]))
    assert check.problem is ImageProblem.DAMAGED


def test_folders_and_missing_files(tmp_path):
    (tmp_path / "folder.png").mkdir()
    assert open_image(tmp_path / "folder.png").problem is ImageProblem.FOLDER
    assert open_image(tmp_path / "nope.png").problem is ImageProblem.MISSING
    assert open_image(tmp_path / "nope.png").reason("meta/nope.png") == "meta/nope.png file is missing"


def test_palette_and_cmyk_images_are_shown(tmp_path):
    Image.new("P", (20, 20)).save(tmp_path / "p.png")
    Image.new("CMYK", (20, 20)).save(tmp_path / "c.jpg")
    assert open_image(tmp_path / "p.png").ok and open_image(tmp_path / "c.jpg").ok


def test_open_image_inside_refuses_paths_out_of_its_folder(tmp_path):
    (tmp_path / "data").mkdir()
    write(tmp_path / "secret.png", png_bytes())
    write(tmp_path / "data" / "ok.png", png_bytes())
    (tmp_path / "data" / "link.png").symlink_to(tmp_path / "secret.png")
    assert open_image_inside(tmp_path / "data", "ok.png").ok
    assert open_image_inside(tmp_path / "data", tmp_path / "data" / "ok.png").ok
    for bad in ("../secret.png", tmp_path / "secret.png", "link.png"):
        check = open_image_inside(tmp_path / "data", bad)
        assert check.problem is ImageProblem.OUTSIDE and check.thumbnail is None
    assert open_image_inside(tmp_path / "data", "link.png").reason() == "link.png points outside the data folder"


def test_modified_never_raises(tmp_path):
    assert modified(tmp_path / "nope") == 0.0 and modified(write(tmp_path / "x", b"1")) > 0
