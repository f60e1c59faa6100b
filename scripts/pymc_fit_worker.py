"""Fit PyMC-Marketing's MMM to one weekly table and write each channel's plan-period ROI as JSON.

Usage: .venv-pymc/bin/python scripts/pymc_fit_worker.py SPEC.json OUT.json
Runs inside the separate PyMC-Marketing venv (scripts/setup_pymc_venv.sh), so it imports only
pymc_marketing, pandas and numpy: never this project's code. scripts/compare_pymc.py writes SPEC and reads OUT.

SPEC keys: csv, date_column, target_column, channel_columns, control_columns, add_trend, standardise_controls,
plan_weeks, value_per_unit, draws, chains, tune, seed, yearly_seasonality, l_max.
OUT: {"pymc_marketing": version, "channels": {ch: {"roi", "roi_low", "roi_high"}}, "divergences", "max_rhat"}.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

INTERVAL = (5.0, 95.0)  # percentiles of the 90% interval, the same as our roi_table's
TREND_COLUMN = "t"  # name PyMC-Marketing's own example gives its trend control


def roi_from_contributions(contrib: np.ndarray, spend: np.ndarray, plan_weeks: int, value_per_unit: float,
                           channels: list[str]) -> dict[str, dict[str, float]]:
    """Per channel: posterior-mean ROI and its 5th–95th percentile over the plan period.

    Parameters
    ----------
    contrib : (draws, weeks, channels) weekly channel contribution in original KPI units
    spend : (weeks, channels) weekly spend
    plan_weeks : the plan period is the last plan_weeks weeks
    value_per_unit : £ per KPI unit

    roi_d,c = value_per_unit · Σ_{plan} contrib_d,t,c / Σ_{plan} spend_t,c; a channel with no plan spend is NaN.
    """
    plan_contrib = contrib[:, -plan_weeks:, :].sum(axis=1)
    plan_spend = spend[-plan_weeks:, :].sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        roi = np.where(plan_spend > 0, plan_contrib * value_per_unit / plan_spend, np.nan)
    low, high = np.percentile(roi, INTERVAL, axis=0)
    return {ch: {"roi": float(roi[:, i].mean()), "roi_low": float(low[i]), "roi_high": float(high[i])}
            for i, ch in enumerate(channels)}


def split_rhat(draws: np.ndarray) -> float:
    """Gelman–Rubin R-hat on split chains for one scalar; draws is (chains, draws). 1.0 means mixed."""
    half = draws.shape[1] // 2
    split = np.concatenate([draws[:, :half], draws[:, half:2 * half]], axis=0)
    n = split.shape[1]
    within = split.var(axis=1, ddof=1).mean()
    between = n * split.mean(axis=1).var(ddof=1)
    if within == 0:
        return float("nan")
    return float(np.sqrt(((n - 1) / n * within + between / n) / within))


def prepare_frame(spec: dict) -> tuple[pd.DataFrame, pd.Series, list[str]]:
    """X (date, channels, controls) and y from the CSV, with the trend added and controls standardised if asked."""
    df = pd.read_csv(spec["csv"])
    df[spec["date_column"]] = pd.to_datetime(df[spec["date_column"]])
    df = df.sort_values(spec["date_column"]).reset_index(drop=True)
    controls = list(spec["control_columns"])
    if spec["add_trend"] and TREND_COLUMN not in df.columns:
        df[TREND_COLUMN] = np.arange(len(df)) / len(df)
        controls.append(TREND_COLUMN)
    if spec["standardise_controls"]:
        # The model scales target and channels but not controls; its Normal(0, 2) control prior assumes unit scale
        for c in controls:
            sd = df[c].std()
            df[c] = (df[c] - df[c].mean()) / (sd if sd > 0 else 1.0)
    X = df[[spec["date_column"], *spec["channel_columns"], *controls]]
    return X, df[spec["target_column"]].astype(float), controls


def fit(spec: dict) -> dict:
    """Fit the MMM (geometric adstock, logistic saturation, yearly Fourier) and read the ROIs off its posterior."""
    import pymc_marketing
    from pymc_marketing.mmm import GeometricAdstock, LogisticSaturation
    from pymc_marketing.mmm.multidimensional import MMM

    X, y, controls = prepare_frame(spec)
    mmm = MMM(date_column=spec["date_column"], channel_columns=spec["channel_columns"],
              target_column=spec["target_column"], control_columns=controls or None,
              adstock=GeometricAdstock(l_max=spec["l_max"]), saturation=LogisticSaturation(),
              yearly_seasonality=spec["yearly_seasonality"])
    idata = mmm.fit(X, y, progressbar=False, random_seed=spec["seed"], draws=spec["draws"], chains=spec["chains"],
                    tune=spec["tune"])
    post = idata.posterior
    # channel_contribution is in max-scaled target units: multiply by the target scale for KPI units
    target_scale = float(mmm.get_scales_as_xarray()["target_scale"])
    contrib = post["channel_contribution"].transpose("chain", "draw", "date", "channel")
    contrib = contrib.sel(channel=spec["channel_columns"]).to_numpy() * target_scale
    contrib = contrib.reshape(-1, *contrib.shape[2:])
    spend = X[spec["channel_columns"]].to_numpy(dtype=float)
    rhats = [split_rhat(post[v].sel(channel=ch).to_numpy())
             for v in ("adstock_alpha", "saturation_lam", "saturation_beta") if v in post
             for ch in spec["channel_columns"]]
    return {"pymc_marketing": pymc_marketing.__version__,
            "channels": roi_from_contributions(contrib, spend, spec["plan_weeks"], spec["value_per_unit"],
                                               spec["channel_columns"]),
            "divergences": int(idata.sample_stats["diverging"].sum()),
            "max_rhat": float(np.nanmax(rhats)) if rhats else float("nan")}


def main(argv: list[str]) -> int:
    """Read SPEC, fit, write OUT atomically."""
    if len(argv) != 2:
        print("usage: pymc_fit_worker.py SPEC.json OUT.json", file=sys.stderr)
        return 2
    spec = json.loads(Path(argv[0]).read_text())
    out = Path(argv[1])
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(fit(spec)))
    tmp.replace(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
