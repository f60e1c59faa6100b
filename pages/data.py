"""Data management: inventory, validation, per-file profiles and previews, kept versions, quarantine, uploads,
regenerate/rebuild."""

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


notice = st.session_state.pop("data_notice", None)
if notice:
    (st.success if notice[0] else st.error)(notice[1])

tab_inv, tab_val, tab_file, tab_kept, tab_up, tab_ops = st.tabs(
    ["Inventory", "Validation", "Explore a file", "Kept copies", "Upload", "Regenerate & rebuild"])

inv = pd.DataFrame()
with friendly("read the data folder"):
    inv = _inventory(str(s.data_dir), _stamp(s.data_dir))

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
    st.caption("CSV or markdown files are checked (type, parse, size, safe name, impossible numbers) before anything "
               "is saved. An existing file is only replaced after you confirm, and its old version is kept.")
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
                    st.warning(f"{up.name} already exists in data/raw/. Replacing it keeps the current file as a "
                               "version you can restore.")
                    overwrite = st.checkbox("Replace the existing file", key="confirm_overwrite")
                if st.button("Save to data/raw", disabled=check.would_overwrite and not overwrite, key="save_up"):
                    saved = save_upload(check, content, s.raw_dir, overwrite=overwrite, data_dir=s.data_dir)
                    refresh_status()
                    st.success(f"Saved {saved.name}. Rebuild the index to make it searchable.")

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
