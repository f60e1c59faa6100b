"""The creatives as a creative agency hands them over: channel folders in its own words, its manifest columns
(image_path, description, channel, vehicle_model, creative_type, ...), and some images nobody listed.

The images are the default world's (core.synth.creatives renders them from the same seed); only names,
folders and the manifest differ. An unlisted image says what it is in its name alone: channel from its folder,
model and format from the file name ("Paid Search/PPC_AVATR11_MPU_05.png").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np
import pandas as pd

from core.synth.creatives import Creative, plan

ASSETS = "assets"
MANIFEST = "asset_manifest.csv"  # the name the app reads; its columns are the agency's
FOLDERS = {"tv": "TV", "ooh": "Out of Home", "youtube": "YouTube", "meta": "Meta - Facebook & Instagram",
           "google": "Paid Search", "dv360": "Programmatic Display", "tiktok": "TikTok", "linkedin": "LinkedIn",
           "print": "Press", "radio": "Radio & Podcast", "events": "Events & Experiential"}
LABELS = {"tv": "TV", "ooh": "OOH", "youtube": "YouTube", "meta": "Facebook/Instagram", "google": "Paid Search",
          "dv360": "Programmatic", "tiktok": "TikTok", "linkedin": "LinkedIn", "print": "Press", "radio": "Radio",
          "events": "Events"}
CODES = {"tv": "TV", "ooh": "OOH", "youtube": "YT", "meta": "FB", "google": "PPC", "dv360": "PROG", "tiktok": "TT",
         "linkedin": "LI", "print": "PRESS", "radio": "RADIO", "events": "EVT"}
# Creatives with no manifest row (channel → running number): each is the only one of its model and format in
# its channel, so a question can single it out by what its folder and name say.
UNLISTED = {"meta": 2, "google": 3, "tiktok": 4, "ooh": 5, "print": 3, "events": 2}


@dataclass(frozen=True)
class Handover:
    """One creative as handed over: the default world's creative, where it now lives, and whether it is listed."""

    creative: Creative
    rel: str  # relative to the assets folder
    listed: bool


def number_of(c: Creative) -> int:
    """The creative's running number within its channel (the default file name ends in it: ..._04.png)."""
    return int(PurePath(c.file).stem.rsplit("_", 1)[1])


def camel(text: str) -> str:
    """'48-sheet billboard' → '48SheetBillboard', 'DOOH screen' → 'DOOHScreen' (acronyms kept)."""
    return "".join(w if w.isupper() else w[:1].upper() + w[1:] for w in re.split(r"[\s-]+", text) if w)


def file_name(c: Creative) -> str:
    """The agency's name: <channel code>_<model>_<format>_<nn>.png, e.g. FB_AVATR12_Story_04.png."""
    return f"{CODES[c.channel]}_{c.model.replace(' ', '')}_{camel(c.format)}_{number_of(c):02d}.png"


def handovers(rng: np.random.Generator) -> list[Handover]:
    """Every creative of the plan, in its agency folder and name, listed unless it is an unlisted one."""
    out = []
    for c in plan(rng):
        unlisted = UNLISTED.get(c.channel) == number_of(c)
        out.append(Handover(c, f"{FOLDERS[c.channel]}/{file_name(c)}", not unlisted))
    return out


def description(c: Creative, price: int) -> str:
    """What the agency writes about a creative: the scene first, then format, channel, headline and CTA."""
    return (f"The {c.model} in {c.paint} {c.scene}. {c.format[:1].upper() + c.format[1:]} for "
            f"{LABELS[c.channel]}; headline '{c.headline}', call to action '{c.cta}', from £{price:,}.")


def manifest(items: list[Handover], prices: dict[str, int]) -> pd.DataFrame:
    """The agency's manifest: one row per listed creative, its own column names and extras."""
    rows = [{"image_path": h.rel, "description": description(h.creative, prices[h.creative.model]),
             "channel": LABELS[h.creative.channel], "vehicle_model": h.creative.model,
             "creative_type": h.creative.format[:1].upper() + h.creative.format[1:], "Title": h.creative.headline,
             "CTA": h.creative.cta, "Campaign Code": h.creative.campaign,
             "Size": f"{h.creative.width}x{h.creative.height}", "Approval": "Approved"}
            for h in items if h.listed]
    return pd.DataFrame(rows)
