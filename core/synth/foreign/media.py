"""The media exports as each platform or sales house writes them: their column names, date layouts and files.

Same rows and numbers as the default world (core.synth.world.build_tables); only the writing differs:
Meta split by year with a byte-order mark, Google and YouTube in one Google Ads report with spend as text
("1,624.84"), DV360 split by year, LinkedIn month-first, TV in Windows-1252 with £ in a header, events with
quoted commas and a note that runs over two lines.
"""

from __future__ import annotations

import pandas as pd

from core.synth.foreign.formats import (
    COUNTRIES,
    DAY_FIRST,
    DAY_MON_YEAR,
    DOTTED,
    MIDNIGHT,
    MONTH_FIRST,
    SLASHED_ISO,
    Export,
    by_year,
    dated,
    labels,
    long_date,
    money_text,
)

RAW = "raw"
NETWORKS = {"google": "Google Search", "youtube": "YouTube Videos"}  # Google Ads' "Network" column
PLATFORMS = {"linear": "Linear", "bvod": "BVOD"}
# Event venues hold a comma, as addresses do: the CSV must quote them.
VENUES = {"Leicester": "Athena, Leicester", "Chelmsford": "Chelmsford City Racecourse, Great Leighs",
          "Derby": "Derby Arena, Pride Park", "Wolverhampton": "Molineux, Wolverhampton",
          "Norwich": "The Forum, Norwich", "Exeter": "Princesshay, Exeter", "Croydon": "Boxpark, Croydon",
          "Reading": "The Oracle, Reading", "Glasgow": "SEC, Glasgow", "Manchester": "Trafford Centre, Manchester",
          "Liverpool": "Liverpool ONE, Liverpool", "Swansea": "Quadrant Centre, Swansea",
          "Aberdeen": "Union Square, Aberdeen", "Nottingham": "Motorpoint Arena, Nottingham",
          "Birmingham": "NEC, Birmingham", "Bristol": "Cabot Circus, Bristol", "Brighton": "Brighton Centre, Brighton"}
NOTES = ("Indoor hall; 6 cars on show", "Outdoor plaza\nbring gazebos and ground mats",
         "Demo fleet of 8 cars; bookings by QR code")


def _country(markets: pd.Series) -> pd.Series:
    """Market codes as the platforms name countries: 'GB' → 'United Kingdom'."""
    return labels(markets, COUNTRIES)


def meta(df: pd.DataFrame) -> list[Export]:
    """Meta Ads Manager: 'Reporting starts/ends' day-first, 'Amount spent (GBP)', one file a year, with a BOM."""
    out = pd.DataFrame({
        "Reporting starts": dated(df.date, DAY_FIRST), "Reporting ends": dated(df.date, DAY_FIRST),
        "Campaign name": df.campaign_name, "Campaign ID": df.campaign_id, "Vehicle": df.model,
        "Country": _country(df.market), "Impressions": df.impressions, "Link clicks": df.clicks,
        "Results": df.conversions, "Amount spent (GBP)": df.spend, "CTR (link click-through rate)": df.ctr,
        "CPC (cost per link click) (GBP)": df.cpc, "CPM (cost per 1,000 impressions) (GBP)": df.cpm})
    return [Export(f"{RAW}/Meta_Ads_Manager_{year}.csv", part, "utf-8-sig")
            for year, part in by_year(out, df.date).items()]


def google_ads(google: pd.DataFrame, youtube: pd.DataFrame) -> Export:
    """One Google Ads report for search and YouTube, split by 'Network'; 'Day' as 04-Mar-2024, Cost as text."""
    both = pd.concat([google.assign(_net=NETWORKS["google"]), youtube.assign(_net=NETWORKS["youtube"])],
                     ignore_index=True).sort_values(["date", "campaign_id"], kind="stable", ignore_index=True)
    out = pd.DataFrame({
        "Day": dated(both.date, DAY_MON_YEAR), "Campaign": both.campaign_name, "Campaign ID": both.campaign_id,
        "Network": both._net, "Vehicle": both.model, "Country": _country(both.market), "Impr.": both.impressions,
        "Clicks": both.clicks, "Conversions": both.conversions, "Video views": both.video_views.astype("Int64"),
        "Cost": money_text(both.spend), "CTR": both.ctr, "Avg. CPC": both.cpc, "Avg. CPM": both.cpm,
        "Currency code": "GBP"})
    return Export(f"{RAW}/Google Ads campaign report.csv", out)


def dv360(df: pd.DataFrame) -> list[Export]:
    """DV360 standard report: 'Date' as 2024/03/04, insertion orders, 'Media Cost (Advertiser Currency)', by year."""
    out = pd.DataFrame({
        "Date": dated(df.date, SLASHED_ISO), "Insertion Order": df.campaign_name,
        "Insertion Order ID": df.campaign_id, "Vehicle": df.model, "Country": _country(df.market),
        "Impressions": df.impressions, "Clicks": df.clicks, "Total Conversions": df.conversions,
        "Media Cost (Advertiser Currency)": df.spend, "Advertiser Currency": "GBP", "Click Rate (CTR)": df.ctr,
        "CPC (Adv Currency)": df.cpc, "CPM (Adv Currency)": df.cpm})
    return [Export(f"{RAW}/DV360_Standard_Report_{year}.csv", part) for year, part in by_year(out, df.date).items()]


def tiktok(df: pd.DataFrame) -> Export:
    """TikTok Ads Manager: 'By Day' with a midnight time, 'Cost', destination clicks."""
    out = pd.DataFrame({
        "By Day": dated(df.date, MIDNIGHT), "Campaign name": df.campaign_name, "Campaign ID": df.campaign_id,
        "Vehicle": df.model, "Country/Region": _country(df.market), "Cost": df.spend,
        "Impressions": df.impressions, "Clicks (Destination)": df.clicks, "Conversions": df.conversions,
        "Video Views": df.video_views, "CTR (Destination)": df.ctr, "CPC (Destination)": df.cpc, "CPM": df.cpm})
    return Export(f"{RAW}/TikTok Ads by day.csv", out)


def linkedin(df: pd.DataFrame) -> Export:
    """LinkedIn Campaign Manager: month-first 'Start Date (in UTC)' and 'Total Spent'."""
    out = pd.DataFrame({
        "Start Date (in UTC)": dated(df.date, MONTH_FIRST), "Campaign Name": df.campaign_name,
        "Campaign ID": df.campaign_id, "Vehicle": df.model, "Total Spent": df.spend, "Currency": "GBP",
        "Impressions": df.impressions, "Clicks": df.clicks, "Conversions": df.conversions,
        "Click Through Rate": df.ctr, "Average CPC": df.cpc, "Average CPM": df.cpm})
    return Export(f"{RAW}/LinkedIn_Campaign_Performance.csv", out)


def tv(df: pd.DataFrame) -> Export:
    """The agency's TV schedule: 'W/C' day-first, sales houses, 'Net Cost (£)'; Excel CSV on Windows (cp1252)."""
    out = pd.DataFrame({
        "W/C": dated(df.week_start, DAY_FIRST), "Sales House": df.broadcaster, "Platform": labels(df.platform, PLATFORMS),
        "Contract No.": df.contract_ref, "Campaign Code": df.campaign_id, "Model": df.model, "Spots": df.spots,
        "TVRs": df.tvr, "Impacts (000s)": df.impacts_000, "Net Cost (£)": df.spend})
    return Export(f"{RAW}/TV_Broadcast_Schedule.csv", out, "cp1252", "\r\n")


def ooh(df: pd.DataFrame) -> Export:
    """Outdoor bookings: 'Week Beginning' written out (6 January 2025), media owners, 'Media Cost'."""
    out = pd.DataFrame({
        "Week Beginning": long_date(df.week_start), "Media Owner": df.vendor, "Booking Ref": df.contract_ref,
        "Campaign Code": df.campaign_id, "Model": df.model, "Format": df.format, "Conurbation": df.region,
        "Panels": df.panels, "Impacts ('000)": df.impacts_000, "Media Cost": df.spend})
    return Export(f"{RAW}/OOH_Panel_Bookings.csv", out)


def radio(df: pd.DataFrame) -> Export:
    """Radio airtime: 'Week' as 15.04.2024, groups and stations, 'Cost' (the name reads like a contract's)."""
    out = pd.DataFrame({
        "Week": dated(df.week_start, DOTTED), "Radio Group": df.radio_group, "Station": df.station,
        "Campaign Code": df.campaign_id, "Model": df.model, "Spots": df.spots, "Reach (000)": df.reach_000,
        "Cost": df.spend})
    return Export(f"{RAW}/Radio_Airtime_Bookings.csv", out)


def press(df: pd.DataFrame) -> Export:
    """Press insertions: 'Insertion Date' day-first, titles, 'Cost'."""
    out = pd.DataFrame({
        "Insertion Date": dated(df.insertion_date, DAY_FIRST), "Title": df.publication,
        "Campaign Code": df.campaign_id, "Model": df.model, "Format": df.ad_format, "Circulation": df.circulation,
        "Readership (000)": df.readership_000, "Cost": df.spend})
    return Export(f"{RAW}/Press_Insertions.csv", out)


def events(df: pd.DataFrame) -> Export:
    """The events programme: venues with commas, a two-line note, 'Event Start/End' day-first, 'Total Cost'."""
    out = pd.DataFrame({
        "Event Ref": df.event_id, "Event": df.event_name, "Type": df.event_type,
        "Event Start": dated(df.start_date, DAY_FIRST), "Event End": dated(df.end_date, DAY_FIRST),
        "Venue": df.city.map(lambda c: VENUES.get(c, f"Civic Centre, {c}")), "City": df.city, "Region": df.region, "Model": df.model,
        "Attendees": df.attendees, "Total Cost": df.spend, "Leads Captured": df.leads_captured,
        "Notes": [NOTES[i % len(NOTES)] for i in range(len(df))]})
    return Export(f"{RAW}/Events_Programme.csv", out)


def media_exports(raw: dict[str, pd.DataFrame]) -> list[Export]:
    """Every media export, from the default world's raw tables (by their file names)."""
    return [*meta(raw["meta_ads.csv"]), google_ads(raw["google_ads.csv"], raw["youtube_ads.csv"]),
            *dv360(raw["dv360.csv"]), tiktok(raw["tiktok_ads.csv"]), linkedin(raw["linkedin_ads.csv"]),
            tv(raw["tv_performance.csv"]), ooh(raw["ooh_performance.csv"]), radio(raw["radio_performance.csv"]),
            press(raw["print_performance.csv"]), events(raw["events.csv"])]
