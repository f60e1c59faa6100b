"""Data management: inventory, validation, per-file profiles and previews, kept versions, quarantine, uploads,
the MMM's weekly-table mapping, regenerate/rebuild."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from core.bootstrap import BootstrapError, Step, run_bootstrap
from core.catalog import (
    CatalogError,
    Version,
    check_upload,
    delete_file,
    inventory,
    list_quarantined,
    list_versions,
    load_csv,
    preview,
    profile,
    quarantine,
    release,
    restore_version,
    save_upload,
    skipped_files,
    validate_folder,
    versioned_files,
)
from core.catalog.validate import Status, results_table, status_counts
from core.mmm.prepare_edit import (
    KpiEdit,
    MappingView,
    MediaEdit,
    MediaRow,
    controls_table,
    mapping_table,
    mapping_view,
    rebuild,
)
from core.synth.checks import world_checks
from core.viz.format import compact
from ui.common import friendly, get_index, refresh_status, settings

PREVIEW_ROWS = 20
UPLOAD_TYPES = ["csv", "md", "txt", "pdf", "docx"]
COUNT_ROWS = "(count rows per week)"  # the KPI column choice meaning "no column: one per row"
s = settings()

st.title("Data management")
st.caption(f"The files behind the app, in `{s.data_dir}`. Uploads go to `{s.raw_dir}`.")


@st.cache_data(show_spinner="Reading the data folder…")
def _inventory(data_dir: str, _stamp: float) -> pd.DataFrame:
    """The catalog inventory (stamp = newest file time, so changes invalidate it)."""
    return inventory(Path(data_dir))


@st.cache_data(show_spinner="Reading the raw exports…")
def _mapping_view(data_dir: str, stamp: float) -> MappingView:
    """The MMM mapping in force or proposed (stamp = newest file time, so changes invalidate it)."""
    return mapping_view(Path(data_dir))


def _stamp(folder: Path) -> float:
    """Newest modification time under a folder (cache key for the inventory)."""
    return max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=0.0)


def _notify(ok: bool, text: str) -> None:
    """Remember an action's outcome for the next run (actions run in callbacks, before the page draws)."""
    st.session_state.data_notice = (ok, text)


def _after_file_action() -> None:
    """Forget the chosen file and cached listings once it has left the data folder."""
    st.session_state.explore_file = None
    st.session_state.confirm_delete = False
    refresh_status()


def _quarantine(rel: str) -> None:
    """Move a data file to quarantine (a button callback)."""
    try:
        quarantine(s.data_dir, rel)
        _notify(True, f"{rel} is in quarantine: the inventory, validation and index skip it. Release it from "
                      "“Kept copies”.")
    except (CatalogError, OSError) as exc:
        _notify(False, f"Could not quarantine {rel}: {exc}")
    _after_file_action()


def _delete(rel: str) -> None:
    """Delete a data file, keeping its last version (a button callback behind a confirmation)."""
    try:
        delete_file(s.data_dir, rel)
        _notify(True, f"Deleted {rel}. Its last version is kept under “Kept copies” if you need it back.")
    except (CatalogError, OSError) as exc:
        _notify(False, f"Could not delete {rel}: {exc}")
    _after_file_action()


def _restore(entry: Version, from_quarantine: bool) -> None:
    """Restore a kept version or release a quarantined file (a button callback)."""
    try:
        kept = release(s.data_dir, entry) if from_quarantine else restore_version(s.data_dir, entry)
        extra = " The file it replaced is kept as a version." if kept else ""
        _notify(True, f"Restored {entry.rel} from {entry.label}.{extra}")
    except (CatalogError, OSError) as exc:
        _notify(False, f"Could not restore {entry.rel}: {exc}")
    refresh_status()


def _pick_and_restore(entries: list[Version], key: str, label: str, from_quarantine: bool = False) -> None:
    """A picker over kept copies and a button that puts the chosen one back."""
    pick = st.selectbox(label, range(len(entries)), key=f"{key}_pick",
                        format_func=lambda i: f"{entries[i].rel} · {entries[i].label}")
    if pick is not None and pick < len(entries):
        st.button("Release" if from_quarantine else "Restore this version", key=key,
                  icon=":material/restore:", on_click=_restore, args=(entries[pick], from_quarantine))


def _run(steps: list[Step], label: str, keep_changed: bool = False) -> None:
    """Run regenerate/rebuild steps with a progress bar and a friendly outcome."""
    bar = st.progress(0.0, text=label)
    try:
        report = run_bootstrap(s, steps, lambda: get_index(s), lambda f, m: bar.progress(min(f, 1.0), text=m),
                               keep_changed=keep_changed)
    except BootstrapError as exc:
        st.error(str(exc))
        return
    refresh_status()
    if report.kept:
        st.info(f"Kept {len(report.kept)} of your files as versions before replacing them: "
                f"{', '.join(report.kept)}. Restore them from “Kept copies”.", icon=":material/history:")
    st.success("Done.", icon=":material/check_circle:")


def _media_edit(row: MediaRow) -> MediaEdit:
    """One export's widgets (include, channel, date and spend column, per-value channels) and what they say."""
    with st.container(border=True):
        head, inc = st.columns([4, 1])
        head.markdown(f"**{row.file}**")
        head.caption(row.note)
        included = inc.checkbox("Include", value=row.included, key=f"map_include_{row.file}")
        c1, c2, c3 = st.columns(3)
        channel = c1.text_input("Channel", value=row.channel, key=f"map_channel_{row.file}",
                                help="Becomes the spend_<channel> column; files with the same channel add up.")
        date = c2.selectbox("Date column", row.columns, index=row.columns.index(row.date_column)
                            if row.date_column in row.columns else 0, key=f"map_date_{row.file}")
        spend = c3.selectbox("Spend column", row.columns, index=row.columns.index(row.spend_column)
                             if row.spend_column in row.columns else 0, key=f"map_spend_{row.file}")
        values = {}
        if row.channel_column and row.channel_values:
            with st.expander(f"Channel of each value of '{row.channel_column}'"):
                for value, key in row.channel_values.items():
                    values[value] = st.text_input(value, value=key, key=f"map_value_{row.file}_{value}")
    return MediaEdit(row.file, included, channel, str(date), str(spend), values)


def _mapping_editor(view: MappingView) -> None:
    """The mapping as a table, widgets to correct it, and the rebuild button."""
    if view.problem:
        st.warning(view.problem, icon=":material/warning:")
    if view.saved and view.mapping is not None and view.mapping.weeks is not None:
        w = view.mapping.weeks
        st.caption(f"Saved in `mmm/mapping.json`: {w.count} weeks, {w.first} to {w.last}.")
    elif view.replace_needed:
        st.caption("`mmm/model_ready.csv` was not written by prepare (e.g. the generated world's own table): below is "
                   "what prepare would do. Rebuilding replaces it; the old file is kept as `model_ready.csv.bak`.")
    else:
        st.caption("No weekly table built from these exports yet: below is what prepare would do.")
    if not view.rows:
        st.info("There are no readable CSV exports in raw/ to build a weekly table from.", icon=":material/folder_off:")
        return
    st.dataframe(mapping_table(view), hide_index=True, width="stretch")
    if view.mapping is not None and view.mapping.warnings:
        with st.expander(f"{len(view.mapping.warnings)} notes from the last build"):
            for note in view.mapping.warnings:
                st.markdown(f"- {note}")
    st.markdown("**Media files**")
    edits = [_media_edit(row) for row in view.rows if row.included]
    others = [row for row in view.rows if not row.included]
    if others:
        st.markdown("**Other raw exports** (not media now; include one to use it as media)")
        edits += [_media_edit(row) for row in others]
    st.markdown("**KPI**")
    files = sorted(view.columns)
    k1, k2 = st.columns(2)
    kpi_file = k1.selectbox("KPI file", files, index=files.index(view.kpi_file) if view.kpi_file in files else 0,
                            key="map_kpi_file")
    choices = [COUNT_ROWS, *view.columns.get(str(kpi_file), ())]
    current = view.kpi_column if kpi_file == view.kpi_file and view.kpi_column in choices else COUNT_ROWS
    kpi_column = k2.selectbox("KPI column (summed per week)", choices, index=choices.index(current),
                              key="map_kpi_column")
    controls = controls_table(view)
    if not controls.empty:
        st.markdown("**Controls**")
        st.dataframe(controls, hide_index=True, width="stretch")
    replace = (st.checkbox("Replace the existing mmm/model_ready.csv (kept as model_ready.csv.bak)", key="map_replace")
               if view.replace_needed else False)
    if st.button("Rebuild the weekly table", type="primary", icon=":material/table_view:", key="map_rebuild",
                 disabled=view.replace_needed and not replace):
        kpi = KpiEdit(str(kpi_file), None if kpi_column == COUNT_ROWS else str(kpi_column))
        with friendly("rebuild the weekly table"), st.spinner("Rebuilding the weekly table…"):
            done = rebuild(s.data_dir, view.mapping, edits, kpi, replace_table=replace)
            weeks = done.mapping.weeks
            kept = f" The old table is kept as {done.backup_path.name}." if done.backup_path else ""
            span = f"{weeks.count} weeks, " if weeks else ""
            _notify(True, f"Rebuilt mmm/model_ready.csv: {span}channels {', '.join(done.mapping.channels)}; KPI "
                          f"“{done.mapping.kpi.name}”.{kept} The MMM dashboard refits on its next visit.")
            refresh_status()
            st.rerun()


notice = st.session_state.pop("data_notice", None)
if notice:
    (st.success if notice[0] else st.error)(notice[1])

tab_inv, tab_val, tab_file, tab_kept, tab_up, tab_map, tab_ops = st.tabs(
    ["Inventory", "Validation", "Explore a file", "Kept copies", "Upload", "MMM mapping", "Regenerate & rebuild"])

inv = pd.DataFrame()
folder_stamp = _stamp(s.data_dir)
with friendly("read the data folder"):
    inv = _inventory(str(s.data_dir), folder_stamp)

with tab_inv:
    for skipped in skipped_files(s.data_dir):  # e.g. a link in raw/ to a file outside: listed, never read
        st.warning(f"Not read: {skipped.message()}.", icon=":material/link_off:")
    if inv.empty:
        st.info("The data folder is empty. Upload files or regenerate the data.", icon=":material/folder_off:")
    else:
        st.caption(f"{len(inv)} files · {compact(float(inv['rows'].fillna(0).sum()))} rows in total")
        st.dataframe(inv, hide_index=True, width="stretch",
                     column_config={"size_bytes": st.column_config.NumberColumn("size (bytes)", format="%d"),
                                    "modified": st.column_config.DatetimeColumn("modified")})

with tab_val:
    st.caption("Generic checks on every file and on the folder, each pass, warn or fail: readable, dates parse, "
               "numeric columns hold numbers, duplicate rows, negative spend, weeks missing. A world the generator "
               "wrote, unchanged since, also gets its own consistency checks.")
    if st.button("Run validation", icon=":material/rule:", key="run_validation"):
        with friendly("validate the data folder"), st.spinner("Validating…"):
            st.session_state.validation = validate_folder(s.data_dir, world_checks)
    results = st.session_state.get("validation")
    if results is not None:
        counts = status_counts(results)
        verdict = (f"{counts[Status.PASS]} passed · {counts[Status.WARN]} warnings · {counts[Status.FAIL]} failed "
                   f"({len(results)} checks)")
        (st.error if counts[Status.FAIL] else st.warning if counts[Status.WARN] else st.success)(verdict)
        m1, m2, m3 = st.columns(3)
        m1.metric("Pass", counts[Status.PASS])
        m2.metric("Warn", counts[Status.WARN])
        m3.metric("Fail", counts[Status.FAIL])
        only = st.toggle("Only warnings and failures", key="validation_problems_only")
        st.dataframe(results_table(results, problems_only=only), hide_index=True, width="stretch")

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
                if loaded.error:
                    st.error(loaded.error)
                else:
                    st.markdown("**Column profile**")
                    st.dataframe(profile(loaded.df), hide_index=True, width="stretch")
        st.markdown("**Earlier versions**")
        with friendly(f"list the versions of {choice}"):
            versions = list_versions(s.data_dir, choice)
            if versions:
                _pick_and_restore(versions, "restore_version", "Version")
            else:
                st.caption("None kept yet: a version is kept whenever an upload, a restore or regeneration "
                           "replaces this file.")
        st.markdown("**Take this file out of use**")
        q, d = st.columns(2)
        q.button("Quarantine", key="quarantine_file", icon=":material/block:",
                 help="Moves the file to the data folder's quarantine; the inventory, validation and index skip it.",
                 on_click=_quarantine, args=(choice,))
        sure_delete = d.checkbox(f"Yes, delete {choice}", key="confirm_delete")
        d.button("Delete", key="delete_file", icon=":material/delete:", disabled=not sure_delete,
                 on_click=_delete, args=(choice,))

with tab_kept:
    st.caption("Every replaced or deleted file keeps its earlier bytes here, and quarantined files wait here "
               f"(under `{s.data_dir}/.versions` and `.quarantine`). Restoring keeps the current file as a version.")
    with friendly("list kept copies"):
        kept_files = versioned_files(s.data_dir)
        kept_choice = st.selectbox("Versions of", kept_files, index=None, placeholder="Choose a file",
                                   key="kept_file")
        if kept_choice:
            _pick_and_restore(list_versions(s.data_dir, kept_choice), "kept_restore", "Version")
        held = list_quarantined(s.data_dir)
        st.markdown(f"**Quarantine** ({len(held)} files)")
        if held:
            _pick_and_restore(held, "release_file", "Quarantined file", from_quarantine=True)

with tab_up:
    st.caption("CSV files and documents (markdown, text, PDF, Word) are checked before anything is saved: type, "
               "size, safe name; a CSV must parse without impossible numbers, a document must be readable (a PDF needs "
               "a text layer). An existing file is only replaced after you confirm, and its old version is kept.")
    up = st.file_uploader("Add a data file or a document", type=UPLOAD_TYPES, key="upload")
    if up is not None:
        content = up.getvalue()
        with friendly(f"check {up.name}"):
            check = check_upload(up.name, content, s.raw_dir)
            if not check.ok:
                st.error(f"{up.name} was not accepted: {check.message}")
            else:
                for note in check.warnings:
                    st.warning(f"{up.name}: {note}", icon=":material/warning:")
                overwrite = False
                if check.would_overwrite:
                    st.warning(f"{up.name} already exists in data/raw/. Replacing it keeps the current file as a "
                               "version you can restore.")
                    overwrite = st.checkbox("Replace the existing file", key="confirm_overwrite")
                if st.button("Save to data/raw", disabled=check.would_overwrite and not overwrite, key="save_up"):
                    saved = save_upload(check, content, s.raw_dir, overwrite=overwrite, data_dir=s.data_dir)
                    refresh_status()
                    st.success(f"Saved {saved.name}. Rebuild the index to make it searchable.")

with tab_map:
    st.caption("How the raw exports become the weekly table the MMM fits (`mmm/model_ready.csv`): for each media "
               "file its channel, date column and spend column, then the KPI and the controls. Correct any choice "
               "and rebuild; every decision is saved in `mmm/mapping.json`.")
    loaded_view: MappingView | None = None
    with friendly("read the MMM mapping"):
        loaded_view = _mapping_view(str(s.data_dir), folder_stamp)
    if loaded_view is not None:
        _mapping_editor(loaded_view)

with tab_ops:
    st.caption("Regenerating rewrites only the files the generator wrote and nobody changed since; it stops and "
               "names any file of yours in the way. Rebuilding only re-embeds files that changed.")
    sure = st.checkbox("I understand regenerating overwrites the generated data", key="confirm_regen")
    keep = st.checkbox("If my files are in the way, keep them as versions and replace them", key="regen_keep")
    c1, c2 = st.columns(2)
    if c1.button("Regenerate data", disabled=not sure, icon=":material/autorenew:", key="regen"):
        _run([Step.WORLD, Step.INDEX], "Regenerating…", keep_changed=keep)
    if c2.button("Rebuild index", icon=":material/manage_search:", key="rebuild"):
        _run([Step.INDEX], "Rebuilding the index…")
