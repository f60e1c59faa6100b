"""Which category and channel a data file belongs to, by name (works for files nobody here wrote)."""

from __future__ import annotations

import re
from enum import Enum
from pathlib import PurePath

from core.domain import channel_of_word


class Category(str, Enum):
    """The analyst-facing grouping of data files, shared by the catalog, RAG and the pages."""

    DIGITAL_MEDIA = "digital_media"
    TRADITIONAL_MEDIA = "traditional_media"
    SALES_PIPELINE = "sales_pipeline"
    EXTERNAL = "external"
    CONTRACTS = "contracts"
    ASSETS = "assets"
    MMM = "mmm"
    OTHER = "other"


# Known files of the generated world; anything else falls through to keyword rules.
_KNOWN: dict[str, tuple[Category, str | None]] = {
    "meta_ads": (Category.DIGITAL_MEDIA, "meta"),
    "google_ads": (Category.DIGITAL_MEDIA, "google"),
    "dv360": (Category.DIGITAL_MEDIA, "dv360"),
    "tiktok_ads": (Category.DIGITAL_MEDIA, "tiktok"),
    "youtube_ads": (Category.DIGITAL_MEDIA, "youtube"),
    "linkedin_ads": (Category.DIGITAL_MEDIA, "linkedin"),
    "tv_performance": (Category.TRADITIONAL_MEDIA, "tv"),
    "ooh_performance": (Category.TRADITIONAL_MEDIA, "ooh"),
    "print_performance": (Category.TRADITIONAL_MEDIA, "print"),
    "radio_performance": (Category.TRADITIONAL_MEDIA, "radio"),
    "events": (Category.TRADITIONAL_MEDIA, "events"),
    "competitor_spend": (Category.EXTERNAL, None),
    "economic_indicators": (Category.EXTERNAL, None),
    "sla_tracking": (Category.SALES_PIPELINE, None),
    "vehicle_sales": (Category.SALES_PIPELINE, None),
    "website_analytics": (Category.SALES_PIPELINE, None),
    "configurator_sessions": (Category.SALES_PIPELINE, None),
    "leads": (Category.SALES_PIPELINE, None),
    "test_drives": (Category.SALES_PIPELINE, None),
    "model_ready": (Category.MMM, None),
    "ground_truth": (Category.MMM, None),
    "asset_manifest": (Category.ASSETS, None),
}

_KEYWORD_RULES: tuple[tuple[str, Category], ...] = (
    (r"contract|agreement|terms|addendum|partnership|airtime", Category.CONTRACTS),
    (r"ads|campaign|social|search|display|programmatic|digital", Category.DIGITAL_MEDIA),
    (r"tv|radio|print|ooh|outdoor|event|press", Category.TRADITIONAL_MEDIA),
    (r"sale|lead|drive|dealer|funnel|web|configurator|sla|order", Category.SALES_PIPELINE),
    (r"competitor|econom|macro|weather|market", Category.EXTERNAL),
)

_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif"}


def _words(stem: str) -> list[str]:
    """Split a file stem into lower-case words."""
    return [w for w in re.split(r"[^a-z0-9]+", stem.lower()) if w]


def category_of(path: str | PurePath) -> Category:
    """The category of a data file from its name, folder and suffix."""
    p = PurePath(path)
    if p.stem in _KNOWN:
        return _KNOWN[p.stem][0]
    if p.suffix.lower() in _IMAGE_SUFFIXES or "assets" in p.parts:
        return Category.ASSETS
    if "contracts" in p.parts:
        return Category.CONTRACTS
    words = _words(p.stem)
    for pattern, category in _KEYWORD_RULES:
        if category is Category.CONTRACTS and p.suffix.lower() == ".csv":
            continue  # a table named "airtime bookings" holds media rows, not an agreement's terms
        # keywords start words ("sales", "economic"): a substring would class "leads" as "ads"
        if any(re.match(f"(?:{pattern})", w) for w in words):
            return category
    if p.suffix.lower() == ".md" and p.stem.lower() != "readme":
        return Category.CONTRACTS
    return Category.OTHER


def channel_of(path: str | PurePath) -> str | None:
    """The media channel a file is about, if its name says so."""
    p = PurePath(path)
    if p.stem in _KNOWN:
        return _KNOWN[p.stem][1]
    for word in _words(p.stem) + _words(p.parent.name):
        channel = channel_of_word(word)
        if channel:  # the name first, then its folder (creatives live in assets/<channel>/)
            return channel
    return None
