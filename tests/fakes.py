"""Fakes shared by the tests: a keyword search index and an MMM with known numbers, typed against the real seams."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pandas as pd

from core.agents.tools import MmmBackend
from core.config import Settings
from core.mmm import MmmFit, Optimization, WhatIf
from core.mmm.data import load_weekly
from core.rag.types import Hit, SearchIndex

CHANNELS = ("tv", "meta", "google")
SPEND = {"tv": 6_000_000.0, "meta": 2_200_000.0, "google": 1_800_000.0}
ROI = {"tv": 0.584, "meta": 0.388, "google": 0.881}


def _hit(i: str, text: str, **meta: str) -> Hit:
    return Hit(i, 0.5, text, meta)


PASSAGES = [
    _hit("itv5", "ITV Airtime Sales Agreement\n## 5. Notice period and cancellation\nEither party may cancel bookings "
         "with 28 days written notice. Late cancellations are charged in full.",
         source_file="itv_airtime_agreement.md", section="Notice period and cancellation", clause="5",
         kind="section", category="contracts", channel="tv"),
    _hit("itv3", "ITV Airtime Sales Agreement\n## 3. Contract value\nThe total contract value is £3,300,000 "
         "(excluding VAT).", source_file="itv_airtime_agreement.md", section="Contract value", clause="3",
         kind="section", category="contracts", channel="tv"),
    _hit("meta25", "meta ads (meta_ads.csv) year 2025: 784 rows; impressions 339,786,430; spend £2,200,000.",
         source_file="meta_ads.csv", group="year", level="2025", kind="summary", category="digital_media",
         channel="meta"),
    _hit("tvrows", "tv_performance.csv rows 1-2\nweek_start: 2025-07-07 | broadcaster: ITV | spend: 41000.5\n"
         "week_start: 2025-07-14 | broadcaster: Sky | spend: 22000.25\n", source_file="tv_performance.csv",
         rows="1-2", kind="rows",
         category="traditional_media", channel="tv"),
]
CREATIVES = [
    Hit("a1", 0.9, "file: meta/avatr12_story_04.png; channel: meta; format: story; description: story for meta showing "
        "the AVATR 12 against a city skyline at night", {"source_file": "avatr12_story_04.png", "channel": "meta",
                                                          "model": "AVATR 12", "kind": "asset"},
        "assets/meta/avatr12_story_04.png"),
]


class FakeIndex:
    """Keyword-overlap search over fixed passages; records queries."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, str | None]] = []

    def search_text(self, query: str, k: int = 5, category: str | None = None,
                    channel: str | None = None) -> list[Hit]:
        self.queries.append((query, channel))
        words = {w.strip("?.,").lower() for w in query.split()}
        pool = [h for h in PASSAGES if (channel is None or h.metadata.get("channel") == channel)
                and (category is None or h.metadata.get("category") == category)]
        scored = sorted(pool, key=lambda h: -len(words & {w.strip(".,;:").lower() for w in h.text.split()}))
        return scored[:k]

    def search_assets(self, query: str, k: int = 8, channel: str | None = None,
                      model: str | None = None) -> list[Hit]:
        return [h for h in CREATIVES if model in (None, h.metadata["model"])][:k]


# The fake's numbers come from the tables above. Its fit holds only the weeks it was "fitted" on, for the tools
# that read the data itself (mmm_summary): two years from 2024-01-01, spend and leads wobbling (load_weekly
# refuses a constant column).
_WEEKS = pd.DataFrame({"week_start": pd.date_range("2024-01-01", periods=104, freq="7D").strftime("%Y-%m-%d"),
                       **{f"spend_{c}": SPEND[c] / 52 * (1 + (pd.RangeIndex(104) % 4 - 1.5) / 10) for c in CHANNELS},
                       "leads": 1_000.0 + pd.RangeIndex(104) % 7})
FAKE_FIT = cast(MmmFit, SimpleNamespace(data=load_weekly(_WEEKS, target="leads")))
DIAGNOSTICS = {"r_squared": 0.93, "adj_r_squared": 0.91, "nrmse": 0.05, "mape": 4.2, "holdout_mape": 6.1,
               "weeks": 104.0}


def _kpi(alloc: dict[str, float], value_per_unit: float) -> float:
    """Leads linear in spend at each channel's ROI."""
    return 50_000.0 + sum(alloc[c] * ROI[c] / value_per_unit for c in CHANNELS)


class FakeMmm:
    """An MMM whose predictions are linear in spend at each channel's ROI (easy to check by hand)."""

    errors: tuple[type[Exception], ...] = ()

    def __init__(self) -> None:
        self.value_per_unit_seen: list[float] = []

    def get_fit(self, settings: Settings, target: str = "leads") -> MmmFit:
        return FAKE_FIT

    def roi_table(self, fit: MmmFit, value_per_unit: float) -> pd.DataFrame:
        self.value_per_unit_seen.append(value_per_unit)
        return pd.DataFrame({"channel": list(CHANNELS), "spend": [SPEND[c] for c in CHANNELS],
                             "contribution": [SPEND[c] * ROI[c] / value_per_unit for c in CHANNELS],
                             "roi": [ROI[c] for c in CHANNELS], "roi_low": [ROI[c] * 0.8 for c in CHANNELS],
                             "roi_high": [ROI[c] * 1.2 for c in CHANNELS],
                             "marginal_roi": [ROI[c] / 2 for c in CHANNELS],
                             "cost_per_unit": [value_per_unit / ROI[c] for c in CHANNELS]})

    def whatif(self, fit: MmmFit, allocation: dict[str, float], *, value_per_unit: float) -> WhatIf:
        self.value_per_unit_seen.append(value_per_unit)
        new, base = _kpi(SPEND | allocation, value_per_unit), _kpi(SPEND, value_per_unit)
        return WhatIf(new, new * value_per_unit, base, new - base, 100 * (new - base) / base)

    def optimize_budget(self, fit: MmmFit, *, value_per_unit: float, total_budget: float | None = None,
                        bounds: float = 0.3) -> Optimization:
        self.value_per_unit_seen.append(value_per_unit)
        scale = total_budget / sum(SPEND.values()) if total_budget else 1.0  # today's mix scaled to the total
        cur = {c: v * scale for c, v in SPEND.items()}
        opt = {"tv": cur["tv"] * 0.7, "meta": cur["meta"], "google": cur["google"] + cur["tv"] * 0.3}
        now, after = _kpi(cur, value_per_unit), _kpi(opt, value_per_unit)
        return Optimization(cur, opt, now, after, 100 * (after / now - 1),
                            {c: ROI[c] / 2 for c in CHANNELS}, {c: 0.3 for c in CHANNELS})

    def diagnostics(self, fit: MmmFit) -> dict[str, float]:
        return dict(DIAGNOSTICS)

    def current_allocation(self, fit: MmmFit) -> dict[str, float]:
        return dict(SPEND)

    def carryover(self, fit: MmmFit) -> pd.DataFrame:
        return pd.DataFrame({"channel": list(CHANNELS), "decay": [0.6, 0.3, 0.15], "half_life_weeks": [2, 1, 1],
                             "weeks_to_90": [5, 2, 2], "saturation": [0.71, 0.42, 0.35]})


class FixedSearch:
    """What answer_documents needs of a Toolbox: settings over a folder, and the same hits for any search."""

    def __init__(self, data_dir: Path, hits: list[Hit]) -> None:
        self.settings = Settings.from_env({}, data_dir=data_dir, index_dir=data_dir / "index")
        self.hits = hits

    def search_data(self, query: str, k: int = 5, channel: str | None = None) -> list[Hit]:
        """The fixed hits, whatever was asked."""
        return self.hits


def fake_mmm() -> MmmBackend:
    """A fresh FakeMmm, typed as the protocol so the type check proves it matches the real signatures."""
    return FakeMmm()


def fake_index() -> SearchIndex:
    """A fresh FakeIndex, typed as the protocol the tools use."""
    return FakeIndex()


def docx_bytes(text: str | None) -> bytes:
    """A Word file holding one paragraph of text (or none), as bytes."""
    import io

    import docx

    d = docx.Document()
    if text:
        d.add_paragraph(text)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()
