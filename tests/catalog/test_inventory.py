"""Inventory and profiles work on any folder, and a broken file does not hide the good ones."""

from __future__ import annotations

import pandas as pd
import pytest
from PIL import Image

from core.catalog import CatalogError, inventory, preview, profile
from core.catalog.categories import Category, category_of


def _mixed_folder(root):
    (root / "raw" / "contracts").mkdir(parents=True)
    (root / "assets" / "meta").mkdir(parents=True)
    (root / "raw" / "meta_ads.csv").write_text("date,campaign_id,impressions,clicks,spend\n2025-01-01,C1,100,5,9.5\n")
    (root / "raw" / "broken.csv").write_bytes(b"")
    (root / "raw" / "contracts" / "deal.md").write_text("# Deal\n\n## 1. Term\nOne year.\n")
    Image.new("RGB", (40, 20)).save(root / "assets" / "meta" / "ad.png")
    (root / "index").mkdir()
    (root / "index" / "skip.csv").write_text("a\n1\n")
    return root


def test_inventory_lists_good_files_and_reports_the_broken_one(tmp_path):
    inv = inventory(_mixed_folder(tmp_path)).set_index("file")
    assert set(inv.index) == {"raw/meta_ads.csv", "raw/broken.csv", "raw/contracts/deal.md", "assets/meta/ad.png"}
    assert inv.loc["raw/meta_ads.csv", "rows"] == 1 and inv.loc["raw/meta_ads.csv", "columns"] == 5
    assert inv.loc["raw/meta_ads.csv", "category"] == "digital_media"
    assert inv.loc["assets/meta/ad.png", "channel"] == "meta" and inv.loc["assets/meta/ad.png", "kind"] == "image"
    assert inv.loc["raw/contracts/deal.md", "category"] == "contracts"
    assert "empty" in inv.loc["raw/broken.csv", "error"] and pd.isna(inv.loc["raw/broken.csv", "rows"])


def test_inventory_of_missing_folder_is_empty(tmp_path):
    inv = inventory(tmp_path / "nope")
    assert inv.empty and "file" in inv.columns


def test_profile_types_nulls_and_ranges():
    df = pd.DataFrame({"date": ["2025-01-01", "2025-02-01", None], "spend": [1.0, None, 3.0],
                       "channel": ["tv", "tv", "ooh"]})
    p = profile(df).set_index("column")
    assert p.loc["date", "type"] == "date" and p.loc["spend", "type"] == "numeric"
    assert p.loc["channel", "type"] == "text" and p.loc["channel", "distinct"] == 2
    assert p.loc["spend", "nulls"] == 1 and p.loc["spend", "min"] == "1.0" and p.loc["spend", "max"] == "3.0"
    assert p.loc["date", "null_pct"] == round(100 / 3, 1)


def test_preview_by_kind(tmp_path):
    root = _mixed_folder(tmp_path)
    assert len(preview(root / "raw" / "meta_ads.csv", 5)) == 1
    assert preview(root / "raw" / "contracts" / "deal.md").startswith("# Deal")
    assert "40×20" in preview(root / "assets" / "meta" / "ad.png")
    try:
        preview(root / "raw" / "broken.csv")
    except CatalogError as exc:
        assert "empty" in str(exc)
    else:
        raise AssertionError("a broken CSV must not preview")


@pytest.mark.parametrize(("name", "category"), [
    ("raw/meta_leads_export.csv", Category.SALES_PIPELINE),  # "leads" holds "ads" but is not an ads file
    ("raw/Radio_Airtime_Bookings.csv", Category.TRADITIONAL_MEDIA),  # a table of bookings, not an agreement
    ("raw/radio_airtime_agreement.pdf", Category.CONTRACTS),
    ("raw/display_ads_2025.csv", Category.DIGITAL_MEDIA),
    ("raw/Economic_Indicators_UK.csv", Category.EXTERNAL),
])
def test_name_keywords_match_whole_words_from_their_start(name, category):
    assert category_of(name) is category
