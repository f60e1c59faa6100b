"""Ad creatives rendered with Pillow, and the manifest that describes what each image shows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image, ImageDraw, ImageFont

from core.synth.facts import CHANNELS, MODELS

# Formats per channel: (format name, width, height).
FORMATS = {
    "tv": (("storyboard frame", 640, 360), ("end card", 640, 360)),
    "ooh": (("48-sheet billboard", 960, 320), ("6-sheet portrait", 300, 450), ("DOOH screen", 360, 640)),
    "youtube": (("video thumbnail", 640, 360), ("bumper end frame", 640, 360)),
    "meta": (("feed square", 540, 540), ("story", 360, 640)),
    "google": (("responsive display", 600, 314), ("MPU", 300, 250)),
    "dv360": (("leaderboard", 728, 90), ("MPU", 300, 250), ("skyscraper", 160, 600)),
    "tiktok": (("in-feed vertical", 360, 640), ("top view", 360, 640)),
    "linkedin": (("single image", 600, 314), ("carousel card", 540, 540)),
    "print": (("full page", 420, 594), ("double-page spread", 840, 594)),
    "radio": (("station sponsorship banner", 600, 200), ("podcast cover", 500, 500)),
    "events": (("event poster", 420, 594), ("invitation", 600, 400)),
}
PER_CHANNEL = 5
SCENES = (("on a coastal road at sunset", (250, 140, 80), (70, 40, 90)),
          ("against a city skyline at night", (20, 30, 70), (90, 60, 140)),
          ("on a mountain pass in the Scottish Highlands", (120, 160, 190), (60, 90, 70)),
          ("in a minimal white studio", (235, 235, 238), (180, 180, 190)),
          ("on a family driveway in autumn", (200, 150, 90), (110, 70, 40)),
          ("at a rapid-charging hub at dawn", (160, 200, 230), (60, 110, 160)))
PAINT = (("Aurora Silver", (192, 196, 204)), ("Midnight Black", (28, 28, 32)), ("Glacier Blue", (90, 150, 210)),
         ("Ember Red", (190, 40, 40)), ("Jade Green", (40, 130, 100)))
HEADLINES = {"DEEPAL S07": ("Electric, made effortless", "The SUV that changes the charge"),
             "DEEPAL S05": ("Coming soon: the DEEPAL S05", "Small SUV, big range"),
             "AVATR 12": ("Arrive differently", "The grand tourer, electrified"),
             "AVATR 11": ("Space to think", "Luxury, quietly electric")}
CTAS = ("Book a test drive", "Build yours", "Find your dealer", "Register interest")


@dataclass(frozen=True)
class Creative:
    """One creative: where it lives and what it shows."""

    file: str
    channel: str
    model: str
    format: str
    width: int
    height: int
    headline: str
    cta: str
    scene: str
    paint: str
    campaign: str

    def description(self) -> str:
        """What the image shows, in words (text search finds creatives through this)."""
        return (f"{self.format} for {self.channel} showing the {self.model} in {self.paint} {self.scene}, "
                f"headline '{self.headline}', price from £{_price(self.model):,}, call to action '{self.cta}'.")


def _price(model: str) -> int:
    return next(m.price for m in MODELS if m.name == model)


def plan(rng: np.random.Generator) -> list[Creative]:
    """PER_CHANNEL creatives per channel, cycling models and formats, scenes and paints drawn."""
    out = []
    for j, c in enumerate(CHANNELS):
        for i in range(PER_CHANNEL):
            model = MODELS[(i + j) % len(MODELS)]
            fmt, w, h = FORMATS[c.key][i % len(FORMATS[c.key])]
            scene = SCENES[int(rng.integers(len(SCENES)))][0]
            paint = PAINT[int(rng.integers(len(PAINT)))][0]
            headline = HEADLINES[model.name][i % 2]
            slug = f"{model.key}_{fmt.replace(' ', '_').replace('-', '')}_{i + 1:02d}"
            campaign = f"{c.key.upper()}-25-{model.key.upper()}"
            out.append(Creative(f"{c.key}/{slug}.png", c.key, model.name, fmt, w, h, headline,
                                CTAS[int(rng.integers(len(CTAS)))], scene, paint, campaign))
    return out


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(8, size))


def render(c: Creative) -> Image.Image:
    """Gradient scene, a car silhouette in its paint, brand, headline, price and a CTA button."""
    top, bottom = next((t, b) for s, t, b in SCENES if s == c.scene)
    paint = next(rgb for name, rgb in PAINT if name == c.paint)
    ramp = np.linspace(0, 1, c.height)[:, None, None]
    pixels = (np.array(top) * (1 - ramp) + np.array(bottom) * ramp).astype(np.uint8)
    img = Image.fromarray(np.repeat(pixels, c.width, axis=1), "RGB")
    d = ImageDraw.Draw(img)
    s = min(c.width, c.height)
    cx, base = c.width * 0.5, c.height * 0.72
    body_w, body_h = min(c.width * 0.7, s * 1.4), s * 0.16
    d.rounded_rectangle((cx - body_w / 2, base - body_h, cx + body_w / 2, base), radius=int(body_h / 3), fill=paint)
    d.rounded_rectangle((cx - body_w * 0.3, base - body_h * 1.8, cx + body_w * 0.25, base - body_h * 0.9),
                        radius=int(body_h / 3), fill=paint)
    for wx in (cx - body_w * 0.3, cx + body_w * 0.3):
        r = body_h * 0.45
        d.ellipse((wx - r, base - r, wx + r, base + r), fill=(20, 20, 20))
    ink = (20, 20, 25) if sum(top) > 500 else (245, 245, 245)
    d.text((s * 0.05, s * 0.04), c.model.split()[0], font=_font(int(s * 0.09)), fill=ink)
    d.text((s * 0.05, s * 0.16), c.headline, font=_font(int(s * 0.065)), fill=ink)
    d.text((s * 0.05, s * 0.25), f"{c.model} from £{_price(c.model):,}", font=_font(int(s * 0.05)), fill=ink)
    bw, bh = s * 0.5, s * 0.09
    d.rounded_rectangle((c.width - bw - s * 0.05, c.height - bh - s * 0.04, c.width - s * 0.05, c.height - s * 0.04),
                        radius=int(bh / 2), fill=(0, 170, 160))
    d.text((c.width - bw - s * 0.02, c.height - bh - s * 0.03), c.cta, font=_font(int(bh * 0.5)), fill=(255, 255, 255))
    return img


def write_creatives(folder: Path, rng: np.random.Generator) -> pd.DataFrame:
    """Render every creative under folder/<channel>/ and write folder/asset_manifest.csv; return the manifest."""
    rows = []
    for c in plan(rng):
        path = folder / c.file
        path.parent.mkdir(parents=True, exist_ok=True)
        render(c).save(path, format="PNG", optimize=False)
        rows.append({"file": c.file, "channel": c.channel, "model": c.model, "format": c.format,
                     "headline": c.headline, "description": c.description(), "campaign": c.campaign,
                     "dimensions": f"{c.width}x{c.height}"})
    manifest = pd.DataFrame(rows)
    manifest.to_csv(folder / "asset_manifest.csv", index=False)
    return manifest
