"""Which weekly table the MMM dashboard models, and what its KPI is worth in which currency.

The generated table (or one built from the folder's exports) or a user's upload; an upload's value per KPI unit
and currency are asked for and kept beside the mapped table (core.mmm.units), so a returning file keeps them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from core.config import Settings
from core.mmm import MmmDataError, mapping
from core.mmm.prepare import kpi_of, run_prepare
from core.mmm.units import DEFAULT_CURRENCY, DatasetUnits, load_units, save_units
from core.viz.format import singular
from ui.common import friendly

GENERATED, UPLOADED = "Generated data (model_ready.csv)", "My own weekly CSV"
UPLOAD_KPI = "kpi"  # mapping.apply names the user's KPI column so


@dataclass(frozen=True)
class Dataset:
    """The table to model, its KPI column and its units."""

    path: str
    target: str
    units: DatasetUnits

    @property
    def key(self) -> str:
        """Identity of the table as it is now (path and modification time): the planner resets when it changes."""
        p = Path(self.path)
        return f"{p}|{p.stat().st_mtime if p.exists() else 0.0}|{self.target}"


def _saved_units(path: Path) -> DatasetUnits | None:
    """The units kept beside a table; a damaged sidecar is reported and ignored."""
    try:
        return load_units(path)
    except MmmDataError as exc:
        st.warning(f"The saved units of this table could not be read ({exc}); set them again below.")
        return None


def _units_inputs(path: Path, kpi_column: str, s: Settings) -> DatasetUnits | None:
    """Ask what one KPI unit is worth and in which currency; save them beside the table when they change."""
    saved = _saved_units(path)
    default = saved or DatasetUnits(s.value_per_lead, DEFAULT_CURRENCY, kpi_column)
    c1, c2 = st.columns(2)
    value = c1.number_input(f"Value of one {singular(kpi_column)} (money per KPI unit)", min_value=0.0,
                            value=float(default.value_per_unit), step=1.0, format="%.2f",
                            key=f"units_value_{path.stem}",
                            help="ROI, profit and break-even are this value × the KPI the model credits to media.")
    currency = c2.text_input("Currency (code or symbol: GBP, EUR, USD, $, €)", value=default.currency,
                             max_chars=8, key=f"units_currency_{path.stem}")
    try:
        units = DatasetUnits(float(value), currency.strip(), kpi_column)
    except MmmDataError as exc:
        st.error(f"These units can't be used: {exc}")
        return None
    if units != saved:
        save_units(path, units)
    return units


def _upload(s: Settings) -> Dataset | None:
    """Upload, column mapping, validation and units of a user's weekly CSV; the Dataset when ready."""
    up = st.file_uploader("Weekly CSV: one row per week, a date column, spend per channel, a KPI", type=["csv"],
                          key="mmm_upload")
    if up is None:
        return None
    try:
        raw = pd.read_csv(io.BytesIO(up.getvalue()))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        st.error(f"{up.name} is not a readable CSV: {exc}")
        return None
    g = mapping.guess(raw)
    cols = list(raw.columns)
    c1, c2 = st.columns(2)
    date = c1.selectbox("Date column", cols, index=cols.index(g.date) if g.date in cols else 0, key="map_date")
    kpi = c2.selectbox("KPI column", cols, index=cols.index(g.kpi) if g.kpi in cols else 0, key="map_kpi")
    spend = st.multiselect("Spend columns (one per channel)", cols, default=list(g.spend), key="map_spend")
    controls = st.multiselect("Control columns (optional)", [c for c in cols if c not in spend + [date, kpi]],
                              default=[c for c in g.controls if c not in spend + [date, kpi]], key="map_controls")
    try:
        mapped = mapping.apply(raw, mapping.ColumnMap(date, kpi, tuple(spend), tuple(controls)))
    except MmmDataError as exc:
        st.error(f"This file can't be modelled yet: {exc}")
        return None
    path = mapping.save(mapped, s.cache_dir / "uploads")
    units = _units_inputs(path, str(kpi), s)
    if units is None:
        return None
    st.success(f"{len(mapped)} weeks × {len(spend)} channels ready to fit.")
    return Dataset(str(path), UPLOAD_KPI, units)


def _generated(s: Settings) -> Dataset | None:
    """The folder's weekly table, offering to build it from the raw exports when there is none."""
    if not s.model_ready_path.exists():
        st.info("There is no weekly modelling table in this data folder yet. It can be built from your raw "
                "exports: spend per channel summed per week, leads per week as the KPI, and the controls it "
                "recognises; every choice is written to mmm/mapping.json, where it can be corrected.")
        if st.button("Build the weekly table from my files", type="primary", key="mmm_prepare"):
            with friendly("build the weekly table"), st.spinner("Reading the exports…"):
                built = run_prepare(s.data_dir)
                st.success(f"Built {built.table_path.name}: {len(built.mapping.media)} media file(s), KPI "
                           f"“{built.mapping.kpi.name}”; mapping in {built.mapping_path.name}.")
                st.rerun()
        return None
    target = kpi_of(s.model_ready_path)
    units = _saved_units(s.model_ready_path) or DatasetUnits(s.value_per_lead, DEFAULT_CURRENCY, target)
    return Dataset(str(s.model_ready_path), target, units)


def choose_dataset(s: Settings) -> Dataset | None:
    """The source radio and whatever that source needs; None (after explaining why) when there is nothing to fit."""
    source = st.radio("Data", [GENERATED, UPLOADED], horizontal=True, key="mmm_source")
    return _upload(s) if source == UPLOADED else _generated(s)
