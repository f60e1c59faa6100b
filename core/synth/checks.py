"""Named consistency checks of a generated world: each says what failed and why."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.catalog.checks import Status, one_line
from core.catalog.validate import FileCheck
from core.catalog.versions import GENERATED_STAMP, STAMP_SCHEMA, file_sha256, read_stamp
from core.domain import SPEND_PREFIX
from core.mmm.transforms import media_response
from core.synth import aggregate
from core.synth.calendar import last_day, week_starts
from core.synth.contracts import contracts
from core.synth.facts import (
    CHANNELS,
    DIGITAL_FILES,
    FIRST_WEEK,
    MODELS,
    N_DEALERS,
    RAW_FILES,
    VALUE_PER_LEAD,
)
from core.synth.world import GENERATOR

MIN_ROWS = {"leads.csv": 10_000, "website_analytics.csv": 5_000, "test_drives.csv": 1_000,
            "vehicle_sales.csv": 500, **{f: 500 for f in DIGITAL_FILES.values()}}
MIN_CREATIVES = 50


WORLD_PREFIX = "world: "  # names of the world's checks among the catalog's
WORLD_STATE = "folder: generated world"  # the verdict on whether the world's checks apply
CHANGED_LISTED = 5  # changed files named before "and N more"


@dataclass(frozen=True)
class CheckResult:
    """One check's verdict: a world check passes or fails (it never only warns)."""

    name: str
    status: Status
    detail: str

    @property
    def passed(self) -> bool:
        """True unless the check failed."""
        return self.status is not Status.FAIL


class World:
    """Lazy, cached access to a data folder's files."""

    def __init__(self, data_dir: Path):
        self.dir = Path(data_dir)
        self._frames: dict[str, pd.DataFrame] = {}

    def raw(self, name: str) -> pd.DataFrame:
        """A raw CSV by file name."""
        if name not in self._frames:
            self._frames[name] = pd.read_csv(self.dir / "raw" / name)
        return self._frames[name]

    def model_ready(self) -> pd.DataFrame:
        """data/mmm/model_ready.csv."""
        return pd.read_csv(self.dir / "mmm" / "model_ready.csv")

    def truth(self) -> dict:
        """data/mmm/ground_truth.json."""
        return json.loads((self.dir / "mmm" / "ground_truth.json").read_text(encoding="utf-8"))


def _verdict(problems: list[str], ok: str) -> tuple[bool, str]:
    return (not problems, ok if not problems else "; ".join(problems[:5]))


def files_present(w: World) -> tuple[bool, str]:
    """All 19 raw CSVs, 7 contracts, the manifest, model_ready.csv and ground_truth.json exist."""
    need = [w.dir / "raw" / f for f in RAW_FILES] + [w.dir / "raw" / "contracts" / c.file for c in contracts()]
    need += [w.dir / "assets" / "asset_manifest.csv", w.dir / "mmm" / "model_ready.csv",
             w.dir / "mmm" / "ground_truth.json"]
    missing = [str(p.relative_to(w.dir)) for p in need if not p.is_file()]
    return _verdict([f"missing {m}" for m in missing], f"{len(need)} files present")


def row_counts(w: World) -> tuple[bool, str]:
    """Each file has at least its minimum number of rows; model_ready has ≥ 104 weeks."""
    problems = [f"{f}: {len(w.raw(f))} rows < {n}" for f, n in MIN_ROWS.items() if len(w.raw(f)) < n]
    if len(w.model_ready()) < 104:
        problems.append(f"model_ready.csv: {len(w.model_ready())} weeks < 104")
    total = sum(len(w.raw(f)) for f in RAW_FILES)
    return _verdict(problems, f"{total:,} raw rows")


def budget_totals(w: World) -> tuple[bool, str]:
    """2025 spend per channel in the raw files equals the channel's budget to the pound."""
    frames = {f: w.raw(f) for f in aggregate.CHANNEL_FILES.values()}
    problems = []
    for ch in CHANNELS:
        name = aggregate.CHANNEL_FILES[ch.key]
        df = frames[name]
        spend = df.loc[df[aggregate.SPEND_DATE[name]].str.startswith("2025"), "spend"].sum()
        if abs(spend - ch.budget) > 1:
            problems.append(f"{ch.key}: 2025 spend £{spend:,.2f} ≠ budget £{ch.budget:,}")
    total = sum(ch.budget for ch in CHANNELS)
    return _verdict(problems, f"11 channels match their budgets (total £{total:,})")


def date_ranges(w: World) -> tuple[bool, str]:
    """Every date in the raw files lies in the model weeks; model weeks are consecutive Mondays."""
    lo, hi = pd.Timestamp(FIRST_WEEK), pd.Timestamp(last_day())
    problems = []
    for f in RAW_FILES:
        df = w.raw(f)
        for col in [c for c in df.columns if c.endswith("date") or c in ("date", "week_start")]:
            d = pd.to_datetime(df[col])
            if d.min() < lo or d.max() > hi:
                problems.append(f"{f}.{col} spans {d.min().date()}…{d.max().date()}")
    weeks = pd.to_datetime(w.model_ready().week_start)
    if not (weeks.dt.weekday == 0).all() or not (weeks.diff().dropna() == pd.Timedelta(days=7)).all():
        problems.append("model_ready weeks are not consecutive Mondays")
    return _verdict(problems, f"all dates within {lo.date()}…{hi.date()}")


def foreign_keys(w: World) -> tuple[bool, str]:
    """Test drives point at leads, sales at test drives and leads, dealers exist, lead campaigns exist."""
    leads, drives, sales = w.raw("leads.csv"), w.raw("test_drives.csv"), w.raw("vehicle_sales.csv")
    dealer_ids = {f"DLR{i:03d}" for i in range(1, N_DEALERS + 1)}
    campaigns = set().union(*(set(w.raw(f).campaign_id) for f in DIGITAL_FILES.values()), set(w.raw("events.csv").event_id))
    checks = {
        "test_drives.lead_id ⊄ leads": ~drives.lead_id.isin(leads.lead_id),
        "vehicle_sales.test_drive_id ⊄ test_drives": ~sales.test_drive_id.isin(drives.test_drive_id),
        "vehicle_sales.lead_id ⊄ leads": ~sales.lead_id.isin(leads.lead_id),
        "unknown dealer_id in leads": ~leads.dealer_id.isin(dealer_ids),
        "unknown dealer_id in test_drives": ~drives.dealer_id.isin(dealer_ids),
        "unknown campaign_id in leads": ~leads.campaign_id.fillna("").isin(campaigns | {""}),
    }
    problems = [f"{name}: {int(bad.sum())} rows" for name, bad in checks.items() if bad.any()]
    return _verdict(problems, "leads → test drives → sales, dealers and campaigns all resolve")


def funnel_monotonic(w: World) -> tuple[bool, str]:
    """Every week: sessions ≥ configurator starts ≥ leads ≥ completed test drives ≥ units sold."""
    mr = w.model_ready()
    sessions = aggregate.weekly_sum(w.raw("website_analytics.csv"), "date", "sessions")
    configurator = aggregate.weekly_sum(w.raw("configurator_sessions.csv"), "date", "configurations_started")
    stages = [("sessions", sessions), ("configurator", configurator), ("leads", mr.leads.to_numpy()),
              ("test_drives", mr.test_drives.to_numpy()), ("units_sold", mr.units_sold.to_numpy())]
    problems = [f"{a} < {b} in {int((x < y).sum())} weeks" for (a, x), (b, y) in zip(stages, stages[1:])
                if (x < y).any()]
    return _verdict(problems, "sessions ≥ configurator ≥ leads ≥ test drives ≥ sales every week")


def seasonality_shape(w: World) -> tuple[bool, str]:
    """The seasonality control peaks in March and September (UK plate months) and dips at Christmas."""
    mr = w.model_ready().assign(month=lambda d: pd.to_datetime(d.week_start).dt.month)
    by_month = mr.groupby("month").seasonality.mean()
    peaks = set(by_month.nlargest(2).index)
    problems = [] if peaks == {3, 9} else [f"peaks in months {sorted(peaks)}, expected March and September"]
    if by_month.idxmin() != 12:
        problems.append(f"lowest month {by_month.idxmin()}, expected December")
    return _verdict(problems, "peaks in March and September, trough in December")


def no_negatives(w: World) -> tuple[bool, str]:
    """No negative number anywhere a count or money lives."""
    problems = []
    for f in RAW_FILES:
        df = w.raw(f)
        skip = ("consumer_confidence", "seasonality_index")  # signed by nature: a balance and a centred index
        num = df.select_dtypes("number").drop(columns=[c for c in skip if c in df], errors="ignore")
        bad = [c for c in num.columns if (num[c] < 0).any()]
        problems += [f"{f}.{c}" for c in bad]
    mr = w.model_ready()
    problems += [f"model_ready.{c}" for c in mr.columns if c.startswith(SPEND_PREFIX) or c in aggregate.KPIS
                 if (mr[c] < 0).any()]
    return _verdict([f"negative values in {p}" for p in problems], "no negative counts or spend")


def ctr_consistent(w: World) -> tuple[bool, str]:
    """Digital rows: clicks ≤ impressions and ctr = clicks / impressions (to its 4 decimals)."""
    problems = []
    for f in DIGITAL_FILES.values():
        df = w.raw(f)
        if (df.clicks > df.impressions).any():
            problems.append(f"{f}: clicks > impressions")
        off = (df.ctr - df.clicks / df.impressions).abs() > 5.1e-5
        if off.any():
            problems.append(f"{f}: ctr off in {int(off.sum())} rows")
    return _verdict(problems, "ctr = clicks / impressions on all 6 platforms")


def spend_agreement(w: World) -> tuple[bool, str]:
    """model_ready spend_<channel> equals the weekly sum of the raw media rows."""
    frames = {f: w.raw(f) for f in aggregate.CHANNEL_FILES.values()}
    expected, mr = aggregate.weekly_spend(frames), w.model_ready()
    problems = []
    for ch in CHANNELS:
        gap = np.abs(expected[f"{SPEND_PREFIX}{ch.key}"].to_numpy() - mr[f"{SPEND_PREFIX}{ch.key}"].to_numpy()).max()
        if gap > 0.011:
            problems.append(f"{SPEND_PREFIX}{ch.key} differs by up to £{gap:,.2f}")
    return _verdict(problems, "raw media rows sum to model_ready spend every week")


def kpi_agreement(w: World) -> tuple[bool, str]:
    """model_ready leads, test drives, units and revenue equal the weekly counts of the raw funnel files."""
    mr = w.model_ready()
    drives = w.raw("test_drives.csv")
    sales = w.raw("vehicle_sales.csv")
    derived = {"leads": aggregate.weekly_count(w.raw("leads.csv").created_date),
               "test_drives": aggregate.weekly_count(drives.drive_date[drives.status == "completed"]),
               "units_sold": aggregate.weekly_count(sales.sale_date),
               "revenue": aggregate.weekly_sum(sales, "sale_date", "price_paid")}
    problems = [f"{k} differs in {int((mr[k].to_numpy() != v).sum())} weeks" for k, v in derived.items()
                if (mr[k].to_numpy() != v).any()]
    return _verdict(problems, "KPIs agree with leads, test_drives and vehicle_sales")


def ground_truth_consistent(w: World) -> tuple[bool, str]:
    """Recomputing each channel's contribution and ROI from the recorded parameters reproduces the record."""
    gt, mr = w.truth(), w.model_ready()
    plan = slice(len(mr) - gt["plan_weeks"], len(mr))
    problems = []
    total_media = np.zeros(len(mr))
    for ch, t in gt["channels"].items():
        x = mr[f"{SPEND_PREFIX}{ch}"].to_numpy()
        c = media_response(x, t["decay"], t["half_sat"], t["slope"], t["beta"])
        total_media += c
        contrib, spend = c[plan].sum(), x[plan].sum()
        if abs(contrib - t["contribution"]) > 1e-3 * max(1.0, t["contribution"]):
            problems.append(f"{ch}: contribution {contrib:.1f} ≠ recorded {t['contribution']:.1f}")
        if abs(spend - t["spend"]) > 1 or abs(contrib * VALUE_PER_LEAD / spend - t["roi"]) > 1e-3:
            problems.append(f"{ch}: spend/ROI disagree with the record")
    if total_media[plan].sum() >= mr.leads.to_numpy()[plan].sum():
        problems.append("media contributions exceed observed leads")
    return _verdict(problems, f"{len(gt['channels'])} channels' contributions and ROI reproduce from parameters")


VALUE_ROW = re.compile(r"^\| (.+?) \| (.+?) \| £([\d,]+) \|$", re.M)


def contracts_agree(w: World) -> tuple[bool, str]:
    """Each contract's 2025 value rows equal the spend booked against its reference (and addenda) in the CSVs."""
    tv, ooh = w.raw("tv_performance.csv"), w.raw("ooh_performance.csv")
    rows = pd.concat([tv[["contract_ref", "spend"]], ooh[["contract_ref", "spend"]]])
    booked = rows.groupby("contract_ref").spend.sum()
    problems, matched = [], []
    for path in sorted((w.dir / "raw" / "contracts").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        ref = re.search(r"^Reference: (\S+)", text, re.M)
        if not ref:
            problems.append(f"{path.name}: no reference")
            continue
        spent = sum(v for r, v in booked.items() if r.startswith(ref.group(1)))
        if not spent:
            continue  # not a media buy (e.g. agency terms)
        value = sum(int(v.replace(",", "")) for _, period, v in VALUE_ROW.findall(text) if "2025" in period)
        if abs(spent - value) > 1:
            problems.append(f"{path.name}: 2025 value £{value:,} ≠ booked £{spent:,.2f}")
        matched.append(ref.group(1))
    if len(matched) < 6:
        problems.append(f"only {len(matched)} media contracts matched bookings")
    return _verdict(problems, f"{len(matched)} contracts' 2025 values equal the spend booked against them")


def prices_agree(w: World) -> tuple[bool, str]:
    """Every sale's list price is its model's trim price, and price paid = list − discount."""
    sales = w.raw("vehicle_sales.csv")
    table = {(m.name, t.name): t.price for m in MODELS for t in m.trims}
    wrong = sales.apply(lambda r: table.get((r.model, r.trim)) != r.list_price, axis=1)
    problems = [f"{int(wrong.sum())} sales with a wrong list price"] if wrong.any() else []
    if ((sales.list_price - sales.discount) != sales.price_paid).any():
        problems.append("price_paid ≠ list_price − discount")
    return _verdict(problems, "sale prices match the trim price list")


def creatives_present(w: World) -> tuple[bool, str]:
    """≥ 50 creatives, every manifest row has its PNG, every channel has creatives."""
    manifest = pd.read_csv(w.dir / "assets" / "asset_manifest.csv")
    missing = [f for f in manifest.file if not (w.dir / "assets" / f).is_file()]
    problems = [f"missing {m}" for m in missing]
    if len(manifest) < MIN_CREATIVES:
        problems.append(f"only {len(manifest)} creatives")
    absent = {c.key for c in CHANNELS} - set(manifest.channel)
    if absent:
        problems.append(f"no creatives for {sorted(absent)}")
    return _verdict(problems, f"{len(manifest)} creatives across {manifest.channel.nunique()} channels")


CHECKS: dict[str, Callable[[World], tuple[bool, str]]] = {
    "files_present": files_present, "row_counts": row_counts, "budget_totals": budget_totals,
    "date_ranges": date_ranges, "foreign_keys": foreign_keys, "funnel_monotonic": funnel_monotonic,
    "seasonality": seasonality_shape, "no_negatives": no_negatives, "ctr_consistent": ctr_consistent,
    "spend_agreement": spend_agreement, "kpi_agreement": kpi_agreement,
    "ground_truth": ground_truth_consistent, "contracts_agree": contracts_agree, "prices_agree": prices_agree,
    "creatives": creatives_present,
}


def run_checks(data_dir: Path) -> list[CheckResult]:
    """Run every check; a check that cannot read what it needs fails with a one-line reason instead of raising."""
    w = World(data_dir)
    out = []
    for name, check in CHECKS.items():
        try:
            passed, detail = check(w)
        except Exception as exc:  # the boundary: a missing file or column is this check's failure, not a crash
            passed, detail = False, one_line(exc, w.dir)
        out.append(CheckResult(name, Status.PASS if passed else Status.FAIL, detail))
    return out


@dataclass(frozen=True)
class WorldStamp:
    """Whether a folder is a world this generator wrote and nobody changed since, and why (not).

    status warns only for a world of ours that was changed: its own checks would fail on the changes, not on it.
    """

    generated: bool
    status: Status
    detail: str


def stamp_generator(data_dir: Path) -> str | None:
    """The generator named in the folder's ownership stamp (None when there is no readable stamp)."""
    try:
        stamp = json.loads((Path(data_dir) / GENERATED_STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or stamp.get("schema") != STAMP_SCHEMA:
        return None
    return str(stamp.get("generator") or "") or None


def world_stamp(data_dir: Path) -> WorldStamp:
    """A generated world is a folder whose stamp names this generator and whose stamped files are unchanged."""
    data_dir = Path(data_dir)
    generator, files = stamp_generator(data_dir), read_stamp(data_dir)
    if generator is None or not files:
        return WorldStamp(False, Status.PASS, "not a generated world (no stamp of the generator): generic checks only")
    if generator != GENERATOR:
        return WorldStamp(False, Status.PASS, f"stamped by {generator!r}, not by {GENERATOR}: generic checks only")
    changed = []
    for rel, digest in files.items():
        path = data_dir / rel
        try:
            same = path.is_file() and not path.is_symlink() and file_sha256(path) == digest
        except OSError:
            same = False
        if not same:
            changed.append(rel)
    if changed:
        named = ", ".join(changed[:CHANGED_LISTED]) + (f" and {len(changed) - CHANGED_LISTED} more"
                                                        if len(changed) > CHANGED_LISTED else "")
        return WorldStamp(False, Status.WARN, f"written by {GENERATOR}, but {len(changed)} of its {len(files)} files changed or "
                                 f"went since ({named}): the world's own checks are not run, generic checks are")
    return WorldStamp(True, Status.PASS, f"all {len(files)} files as {GENERATOR} wrote them: the world's own checks run")


__all__ = ["CHECKS", "CheckResult", "WorldStamp", "run_checks", "week_starts", "world_checks", "world_stamp"]


def world_checks(data_dir: Path) -> list[FileCheck]:
    """Whether the folder is a generated world, then the world's checks as catalog FileChecks when it is one."""
    state = world_stamp(Path(data_dir))
    verdict = FileCheck(WORLD_STATE, state.status, state.detail)
    if not state.generated:
        return [verdict]
    return [verdict] + [FileCheck(f"{WORLD_PREFIX}{r.name}", r.status, r.detail) for r in run_checks(data_dir)]
