"""Columns the app relies on in known files: one table, used by validation and uploads."""

from __future__ import annotations

DIGITAL = ("date", "campaign_id", "impressions", "clicks", "spend")
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "meta_ads.csv": DIGITAL, "google_ads.csv": DIGITAL, "dv360.csv": DIGITAL, "tiktok_ads.csv": DIGITAL,
    "youtube_ads.csv": DIGITAL, "linkedin_ads.csv": DIGITAL,
    "tv_performance.csv": ("week_start", "broadcaster", "spend"),
    "ooh_performance.csv": ("week_start", "vendor", "spend"),
    "radio_performance.csv": ("week_start", "spend"),
    "print_performance.csv": ("insertion_date", "publication", "spend"),
    "events.csv": ("event_id", "start_date", "spend"),
    "leads.csv": ("lead_id", "created_date", "source", "model", "dealer_id"),
    "test_drives.csv": ("test_drive_id", "lead_id", "dealer_id", "drive_date", "status"),
    "vehicle_sales.csv": ("sale_id", "sale_date", "model", "price_paid"),
    "model_ready.csv": ("week_start", "leads"),
    "asset_manifest.csv": ("file", "channel", "model", "description"),
}
# Columns that can never be negative wherever they appear.
NON_NEGATIVE = ("spend", "impressions", "clicks", "conversions", "sessions", "leads", "cost", "price_paid",
                "list_price", "attendees", "spots")
