"""Data management: inventory, validation, per-file profiles and previews, uploads, regenerate/rebuild."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from core.bootstrap import BootstrapError, Step, run_bootstrap
from core.catalog import (
    check_upload,
    inventory,
    load_csv,
    preview,
    profile,
    save_upload,
    validate_folder,
)
from core.synth.checks import world_checks
from core.viz.format import compact
from ui.common import friendly, get_index, refresh_status, settings

PREVIEW_ROWS = 20
s = settings()

st.title("Data management")
st.caption(f"The files behind the app, in `{s.data_dir}`. Uploads go to `{s.raw_dir}`.")


@st.cache_data(show_spinner="Reading the data folder…")
def _inventory(data_dir: str, _stamp: float) -> pd.DataFrame:
    """The catalog inventory (stamp = newest file time, so changes invalidate it)."""
    return inventory(Path(data_dir))


def _stamp(folder: Path) -> float:
    """Newest modification time under a folder (cache key for the inventory)."""
    return max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=0.0)


def _run(steps: list[Step], label: str) -> None:
    """Run regenerate/rebuild steps with a progress bar and a friendly outcome."""
    bar = st.progress(0.0, text=label)
    try:
        run_bootstrap(s, steps, lambda: get_index(s), lambda f, m: bar.progress(min(f, 1.0), text=m))
    except BootstrapError as exc:
        st.error(str(exc))
        return
    refresh_status()
    st.success("Done.", icon=":material/check_circle:")


tab_inv, tab_val, tab_file, tab_up, tab_ops = st.tabs(
    ["Inventory", "Validation", "Explore a file", "Upload", "Regenerate & rebuild"])

inv = pd.DataFrame()
with friendly("read the data folder"):
    inv = _inventory(str(s.data_dir), _stamp(s.data_dir))

with tab_inv:
    if inv.empty:
        st.info("The data folder is empty. Upload files or regenerate the data.", icon=":material/folder_off:")
    else:
        st.caption(f"{len(inv)} files · {compact(float(inv['rows'].fillna(0).sum()))} rows in total")
        st.dataframe(inv, hide_index=True, width="stretch",
                     column_config={"size_bytes": st.column_config.NumberColumn("size (bytes)", format="%d"),
                                    "modified": st.column_config.DatetimeColumn("modified")})

with tab_val:
    st.caption("Generic checks on every file (parses, not empty, no duplicate headers) plus the generated "
               "world's consistency checks when its files are present.")
    if st.button("Run validation", icon=":material/rule:", key="run_validation"):
        with friendly("validate the data folder"), st.spinner("Validating…"):
            st.session_state.validation = validate_folder(s.data_dir, world_checks)
    results = st.session_state.get("validation")
    if results is not None:
        failed = [r for r in results if not r.passed]
        (st.error if failed else st.success)(f"{len(results) - len(failed)} of {len(results)} checks passed")
        st.dataframe(pd.DataFrame({"": ["✅" if r.passed else "❌" for r in results],
                                   "check": [r.name for r in results], "detail": [r.detail for r in results]}),
                     hide_index=True, width="stretch")

with tab_file:
    files = inv["file"].tolist() if "file" in inv else []
    choice = st.selectbox("File", files, index=None, placeholder="Choose a file", key="explore_file")
    if choice:
        path = s.data_dir / choice
        with friendly(f"read {choice}"):
            shown = preview(path, PREVIEW_ROWS)
            st.markdown(f"**Preview** (first {PREVIEW_ROWS} rows)")
            if isinstance(shown, pd.DataFrame):
                st.dataframe(shown, hide_index=True, width="stretch")
            else:
                st.code(str(shown), language="markdown")
            if path.suffix.lower() == ".csv":
                loaded = load_csv(path)
                if getattr(loaded, "error", None):
                    st.error(loaded.error)
                else:
                    st.markdown("**Column profile**")
                    st.dataframe(profile(loaded.df), hide_index=True, width="stretch")

with tab_up:
    st.caption("CSV or markdown files are checked (type, parse, size, safe name) before anything is saved. "
               "An existing file is only replaced after you confirm.")
    up = st.file_uploader("Add a data file", type=["csv", "md"], key="upload")
    if up is not None:
        content = up.getvalue()
        with friendly(f"check {up.name}"):
            check = check_upload(up.name, content, s.raw_dir)
            if not check.ok:
                st.error(f"{up.name} was not accepted: {check.message}")
            else:
                overwrite = False
                if check.would_overwrite:
                    st.warning(f"{up.name} already exists in data/raw/.")
                    overwrite = st.checkbox("Replace the existing file", key="confirm_overwrite")
                if st.button("Save to data/raw", disabled=check.would_overwrite and not overwrite, key="save_up"):
                    saved = save_upload(check, content, s.raw_dir, overwrite=overwrite)
                    refresh_status()
                    st.success(f"Saved {saved.name}. Rebuild the index to make it searchable.")

with tab_ops:
    st.caption("Regenerating rewrites the generated files (your uploads with other names stay) and rebuilds "
               "the index. Rebuilding only re-embeds files that changed.")
    sure = st.checkbox("I understand regenerating overwrites the generated data", key="confirm_regen")
    c1, c2 = st.columns(2)
    if c1.button("Regenerate data", disabled=not sure, icon=":material/autorenew:", key="regen"):
        _run([Step.WORLD, Step.INDEX], "Regenerating…")
    if c2.button("Rebuild index", icon=":material/manage_search:", key="rebuild"):
        _run([Step.INDEX], "Rebuilding the index…")
