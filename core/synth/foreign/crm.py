"""The sales-pipeline and market exports as a CRM, a dealer portal, GA4 and a research agency write them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.synth.foreign.formats import COUNTRIES, DAY_FIRST, DAY_MON_YEAR, Export, dated, labels

RAW = "raw"
SOURCES = {"google": "Google Ads", "meta": "Meta", "youtube": "YouTube", "dv360": "DV360", "tiktok": "TikTok",
           "linkedin": "LinkedIn", "events": "Event", "direct": "Direct", "organic_search": "Organic Search",
           "referral": "Referral"}
ENQUIRY_TYPES = {"register_interest": "Register Interest", "brochure_request": "Brochure Request",
                 "configurator_build": "Configurator Build", "test_drive_request": "Test Drive Request",
                 "finance_quote": "Finance Quote"}
STATUSES = {"new": "New", "contacted": "Contacted", "test_drive_booked": "Test Drive Booked",
            "test_driven": "Test Driven", "sold": "Sold"}
OUTCOMES = {"completed": "Completed", "cancelled": "Cancelled", "no_show": "No show"}
FINANCE = {"PCP": "PCP", "lease": "Lease", "cash": "Cash"}
CHANNEL_GROUPS = {"organic_search": "Organic Search", "direct": "Direct", "referral": "Referral", "email": "Email",
                  "paid_search": "Paid Search", "paid_social": "Paid Social", "video": "Paid Video",
                  "display": "Display"}
DEVICES = {"mobile": "Mobile", "desktop": "Desktop"}
MEDIA = {"digital": "Digital", "ooh": "OOH", "tv": "TV"}
FIRST_HOUR, OPEN_HOURS = 8, 12  # enquiries arrive 08:00–19:59


def _created_on(iso: pd.Series) -> pd.Series:
    """'04/03/2024 09:17': the CRM stamps a time; spread deterministically over opening hours by row."""
    i = np.arange(len(iso))
    times = [f"{FIRST_HOUR + h:02d}:{m:02d}" for h, m in zip(i * 7 % OPEN_HOURS, i * 13 % 60)]
    return dated(iso, DAY_FIRST) + " " + pd.Series(times, index=iso.index)


def enquiries(df: pd.DataFrame) -> Export:
    """CRM enquiries (one row per lead), 'Created On' day-first with a time."""
    out = pd.DataFrame({
        "Enquiry ID": df.lead_id, "Created On": _created_on(df.created_date),
        "Lead Source": labels(df.source, SOURCES), "Campaign Code": df.campaign_id, "Model of Interest": df.model,
        "Enquiry Type": labels(df.lead_type, ENQUIRY_TYPES), "Region": df.region, "Assigned Dealer": df.dealer_id,
        "First Response (hrs)": df.first_response_hours, "Status": labels(df.status, STATUSES)})
    return Export(f"{RAW}/CRM_Enquiries.csv", out)


def test_drives(df: pd.DataFrame) -> Export:
    """Dealer portal test-drive bookings, dates as 01-Sep-2025."""
    out = pd.DataFrame({
        "Booking Ref": df.test_drive_id, "Enquiry ID": df.lead_id, "Dealer Code": df.dealer_id, "Model": df.model,
        "Booked On": dated(df.booked_date, DAY_MON_YEAR), "Drive Date": dated(df.drive_date, DAY_MON_YEAR),
        "Outcome": labels(df.status, OUTCOMES), "Rating (1-5)": df.rating})
    return Export(f"{RAW}/Test_Drive_Bookings.csv", out)


def orders(df: pd.DataFrame) -> Export:
    """Retail orders at handover: on-the-road price, discount and transaction price."""
    out = pd.DataFrame({
        "Order No.": df.sale_id, "Handover Date": dated(df.sale_date, DAY_FIRST), "Test Drive Ref": df.test_drive_id,
        "Enquiry ID": df.lead_id, "Dealer Code": df.dealer_id, "Region": df.region, "Model": df.model,
        "Trim": df.trim, "OTR Price": df.list_price, "Discount": df.discount, "Transaction Price": df.price_paid,
        "Finance Type": labels(df.payment_type, FINANCE)})
    return Export(f"{RAW}/Retail_Orders.csv", out)


def dealer_sla(df: pd.DataFrame) -> Export:
    """Weekly dealer response against the SLA; launch partners flagged Y/N."""
    out = pd.DataFrame({
        "Week Commencing": dated(df.week_start, DAY_FIRST), "Dealer Code": df.dealer_id, "Dealer": df.dealer_name,
        "Region": df.region, "Launch Partner": np.where(df.launch_dealer, "Y", "N"),
        "Leads Assigned": df.leads_assigned, "Responded Within SLA": df.responded_within_sla,
        "SLA Met (%)": df.sla_met_pct, "Median Response (hrs)": df.median_response_hours,
        "SLA Target (hrs)": df.sla_target_hours})
    return Export(f"{RAW}/Dealer_SLA_Weekly.csv", out)


def ga4(df: pd.DataFrame) -> Export:
    """GA4 sessions by day, country and default channel group."""
    out = pd.DataFrame({
        "Date": df.date, "Country": labels(df.market, COUNTRIES),
        "Session default channel group": labels(df.traffic_source, CHANNEL_GROUPS), "Sessions": df.sessions,
        "Total users": df.users, "Views": df.pageviews, "Bounce rate": df.bounce_rate,
        "Average session duration": df.avg_session_seconds})
    return Export(f"{RAW}/GA4_Sessions_Daily.csv", out)


def configurator(df: pd.DataFrame) -> Export:
    """Online configurator builds by day, model and device."""
    out = pd.DataFrame({
        "Date": dated(df.date, DAY_FIRST), "Model": df.model, "Device Category": labels(df.device, DEVICES),
        "Builds Started": df.configurations_started, "Builds Completed": df.configurations_completed,
        "Avg Build Price (£)": df.avg_build_price, "Brochure Downloads": df.brochure_downloads})
    return Export(f"{RAW}/Configurator_Builds_Daily.csv", out)


def macro(df: pd.DataFrame) -> Export:
    """Weekly macro indicators the planning team keeps (GfK, Bank of England, ONS, fuel, BEV share)."""
    out = pd.DataFrame({
        "Week": dated(df.week_start, DAY_FIRST), "GfK Consumer Confidence": df.consumer_confidence,
        "BoE Bank Rate (%)": df.bank_rate, "CPI Inflation (%)": df.cpi_inflation,
        "Unleaded (ppl)": df.petrol_price_ppl, "BEV Share (%)": df.ev_market_share_pct,
        "Seasonal Index": df.seasonality_index})
    return Export(f"{RAW}/Macro_Indicators_Weekly.csv", out)


def competitors(df: pd.DataFrame) -> Export:
    """A research agency's weekly competitor spend estimates by brand and medium."""
    out = pd.DataFrame({
        "Week": dated(df.week_start, DAY_FIRST), "Brand": df.competitor, "Medium": labels(df.channel, MEDIA),
        "Est. Spend (£)": df.estimated_spend, "Source": df.source})
    return Export(f"{RAW}/Competitor_Ad_Spend_Estimates.csv", out)


def pipeline_exports(raw: dict[str, pd.DataFrame]) -> list[Export]:
    """Every non-media export, from the default world's raw tables (by their file names)."""
    return [enquiries(raw["leads.csv"]), test_drives(raw["test_drives.csv"]), orders(raw["vehicle_sales.csv"]),
            dealer_sla(raw["sla_tracking.csv"]), ga4(raw["website_analytics.csv"]),
            configurator(raw["configurator_sessions.csv"]), macro(raw["economic_indicators.csv"]),
            competitors(raw["competitor_spend.csv"])]
