"""Agent fixtures: a small fake index and a fake MMM with known numbers, wired into a Toolbox."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pytest

from core.agents.tools import MmmApi, Toolbox
from core.config import Settings
from core.rag.types import Hit

CHANNELS = ("tv", "meta", "google")
SPEND = {"tv": 6_000_000.0, "meta": 2_200_000.0, "google": 1_800_000.0}
ROI = {"tv": 0.584, "meta": 0.388, "google": 0.881}


def _hit(i: str, text: str, **meta) -> Hit:
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
    _hit("tvrows", "tv_performance.csv rows 1-2\nweek_start,broadcaster,spend\n2025-07-07,ITV,41000.5\n"
         "2025-07-14,Sky,22000.25\n", source_file="tv_performance.csv", rows="1-2", kind="rows",
         category="traditional_media", channel="tv"),
]
CREATIVES = [
    Hit("a1", 0.9, "file: meta/avatr12_story_04.png; channel: meta; format: story; description: story for meta showing "
        "the AVATR 12 against a city skyline at night", {"source_file": "avatr12_story_04.png", "channel": "meta",
                                                          "model": "AVATR 12", "kind": "asset"},
        "/data/assets/meta/avatr12_story_04.png"),
]


class FakeIndex:
    """Keyword-overlap search over fixed passages; records queries."""

    def __init__(self):
        self.queries: list[tuple[str, str | None]] = []

    def search_text(self, query, k=5, category=None, channel=None, **_):
        self.queries.append((query, channel))
        words = {w.strip("?.,").lower() for w in query.split()}
        pool = [h for h in PASSAGES if (channel is None or h.metadata.get("channel") == channel)
                and (category is None or h.metadata.get("category") == category)]
        scored = sorted(pool, key=lambda h: -len(words & {w.strip(".,;:").lower() for w in h.text.split()}))
        return scored[:k]

    def search_assets(self, query, k=8, channel=None, model=None):
        return [h for h in CREATIVES if model in (None, h.metadata["model"])][:k]


@dataclass(frozen=True)
class FakeWhatIf:
    kpi: float
    revenue: float
    baseline_kpi: float
    delta_kpi: float
    delta_pct: float


@dataclass(frozen=True)
class FakeOpt:
    current: dict
    optimal: dict
    current_kpi: float
    optimal_kpi: float
    uplift_pct: float
    marginal_roi_current: dict
    marginal_roi_optimal: dict


def fake_mmm() -> MmmApi:
    """An MMM whose predictions are linear in spend at each channel's ROI (easy to check by hand)."""
    def kpi(alloc):
        return 50_000.0 + sum(alloc[c] * ROI[c] / 150.0 for c in CHANNELS)

    def roi_table(fit, value_per_unit=150.0):
        return pd.DataFrame({"channel": list(CHANNELS), "spend": [SPEND[c] for c in CHANNELS],
                             "contribution": [SPEND[c] * ROI[c] / value_per_unit for c in CHANNELS],
                             "roi": [ROI[c] for c in CHANNELS], "roi_low": [ROI[c] * 0.8 for c in CHANNELS],
                             "roi_high": [ROI[c] * 1.2 for c in CHANNELS],
                             "marginal_roi": [ROI[c] / 2 for c in CHANNELS],
                             "cost_per_unit": [value_per_unit / ROI[c] for c in CHANNELS]})

    def whatif(fit, allocation):
        new = SPEND | allocation
        base = kpi(SPEND)
        return FakeWhatIf(kpi(new), kpi(new) * 150, base, kpi(new) - base, 100 * (kpi(new) - base) / base)

    def optimize(fit, total_budget=None, bounds=0.3):
        opt = {"tv": SPEND["tv"] * 0.7, "meta": SPEND["meta"], "google": SPEND["google"] + SPEND["tv"] * 0.3}
        return FakeOpt(dict(SPEND), opt, kpi(SPEND), kpi(opt), 100 * (kpi(opt) / kpi(SPEND) - 1),
                       {c: ROI[c] / 2 for c in CHANNELS}, {c: 0.3 for c in CHANNELS})

    diagnostics = {"r_squared": 0.93, "adj_r_squared": 0.91, "nrmse": 0.05, "mape": 4.2, "holdout_mape": 6.1,
                   "weeks": 104}
    return MmmApi(get_fit=lambda settings, target="leads": "fit", roi_table=roi_table, optimize_budget=optimize,
                  whatif=whatif, summarize=lambda df: {}, diagnostics=lambda fit: diagnostics,
                  current_allocation=lambda fit: dict(SPEND))


@pytest.fixture
def toolbox(tmp_path) -> Toolbox:
    """A Toolbox over the fake index and fake MMM (model_ready.csv exists so the fit step is allowed)."""
    settings = Settings(data_dir=tmp_path)
    settings.model_ready_path.parent.mkdir(parents=True)
    settings.model_ready_path.write_text("week_start,spend_tv,leads\n")
    return Toolbox(settings, index=FakeIndex(), mmm=fake_mmm())
