"""How another team's tools write values: date layouts, money as text, encodings, and one export file."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

DAY_FIRST = "%d/%m/%Y"  # 04/03/2024: UK spreadsheets
MONTH_FIRST = "%m/%d/%Y"  # 03/04/2024: US tools (LinkedIn Campaign Manager)
DAY_MON_YEAR = "%d-%b-%Y"  # 04-Mar-2024: Google Ads
SLASHED_ISO = "%Y/%m/%d"  # 2024/03/04: DV360
DOTTED = "%d.%m.%Y"  # 04.03.2024: a radio sales house
MIDNIGHT = "%Y-%m-%d 00:00:00"  # 2024-03-04 00:00:00: TikTok's "By Day"
COUNTRIES = {"GB": "United Kingdom", "DE": "Germany", "FR": "France"}


@dataclass(frozen=True)
class Export:
    """One file as another team's tool writes it: where (relative to the data folder), what, and how encoded.

    encoding "utf-8-sig" writes a byte-order mark (Meta, Excel "CSV UTF-8"); "cp1252" is Excel's "CSV"
    on Windows (so £ is one byte, 0xA3); newline "\\r\\n" is Windows line ends.
    """

    rel: str
    frame: pd.DataFrame
    encoding: str = "utf-8"
    newline: str = "\n"

    def to_bytes(self) -> bytes:
        """The file's bytes: CSV with quoting where a value holds a comma, quote or newline."""
        return self.frame.to_csv(index=False, lineterminator=self.newline).encode(self.encoding)


def days(iso: pd.Series) -> pd.Series:
    """ISO date strings (YYYY-MM-DD) as timestamps."""
    return pd.to_datetime(iso, format="%Y-%m-%d")


def dated(iso: pd.Series, layout: str) -> pd.Series:
    """ISO dates rewritten in a strftime layout (missing stay missing)."""
    return days(iso).dt.strftime(layout)


def long_date(iso: pd.Series) -> pd.Series:
    """'6 January 2025': day without padding, full month name."""
    d = days(iso)
    return d.dt.day.astype(str) + " " + d.dt.strftime("%B %Y")


def money_text(values: pd.Series) -> pd.Series:
    """Amounts as text with thousands separators, as a spreadsheet exports formatted cells: 1624.84 → '1,624.84'."""
    return values.map(lambda v: f"{v:,.2f}")


def by_year(df: pd.DataFrame, iso: pd.Series) -> dict[str, pd.DataFrame]:
    """The rows of each calendar year ('2024' → rows), for exports split into one file a year."""
    years = iso.str[:4]
    return {str(y): df[years == y].reset_index(drop=True) for y in sorted(years.unique())}


def labels(values: pd.Series, names: dict[str, str]) -> pd.Series:
    """Codes replaced by the labels another tool shows ('no_show' → 'No show'); unknown codes kept."""
    return values.map(lambda v: names.get(v, v))
