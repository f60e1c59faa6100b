"""Shared page plumbing: settings, cached heavy objects, first-run setup, sidebar, friendly errors."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from core.agents.tools import Toolbox
from core.bootstrap import BootstrapError, missing_steps, run_bootstrap, world_present
from core.config import Settings
from core.mmm import MmmFit, get_fit
from core.rag import HybridIndex, IndexStatus
from core.rag.store import index_fingerprint

log = logging.getLogger("mip.app")
APP_TITLE = "Marketing Intelligence Platform"
SKIPPED_SHOWN = 3  # skipped files named in the sidebar before "and N more"
STATUS_TTL_S = 60  # the sidebar's index status is recomputed at most this often, unless the index folder changed
# Opening the index can fail with a held lock (RuntimeError), a bad folder (RagError, a ValueError) or OSError.
INDEX_ERRORS = (RuntimeError, ValueError, OSError)
_reopen_lock = threading.Lock()


def settings() -> Settings:
    """Settings read from the environment on each run (cheap; lets tests point the app at a tmp world)."""
    return Settings.from_env()


@st.cache_resource(show_spinner="Opening the search index…")
def _open_index(key: str, _settings: Settings) -> HybridIndex:
    """The one HybridIndex per index folder and process (embedded Qdrant locks its folder)."""
    return HybridIndex.open(_settings)


def index_key(s: Settings) -> str:
    """Cache key of the index: its folder, store and embedder."""
    return f"{s.index_path}|{s.qdrant_url}|{s.embeddings.value}"


def get_index(s: Settings) -> HybridIndex:
    """The cached HybridIndex for these settings, reopened when its folder was deleted or replaced under it
    (its old client could only fail with "attempt to write a readonly database")."""
    key = index_key(s)
    index = _open_index(key, s)
    if (problem := index.store_problem()) is None:
        return index
    with _reopen_lock:  # one session reopens; the others get its new client
        current = _open_index(key, s)
        if current is index:
            log.warning("reopening the search index: %s", problem)
            try:
                index.close()
            except INDEX_ERRORS:
                log.exception("closing the stale index failed")
            _open_index.clear(key, s)
            current = _open_index(key, s)
    return current


def status_key(s: Settings) -> str:
    """Cache key of the index status: the index key plus the folder's fingerprint, so a deleted, damaged or
    rebuilt index is noticed at once instead of after the status TTL."""
    return f"{index_key(s)}|{index_fingerprint(s)}"


@st.cache_data(ttl=STATUS_TTL_S, show_spinner=False)
def index_status(key: str, _settings: Settings) -> IndexStatus:
    """Index counts and staleness (re-checked at most once a minute, or when status_key changes)."""
    return get_index(_settings).status()


def current_status(s: Settings) -> IndexStatus:
    """The index status for these settings, cached under status_key."""
    return index_status(status_key(s), s)


def refresh_status() -> None:
    """Forget cached status and data after data or index changed."""
    index_status.clear()
    st.cache_data.clear()


@st.cache_resource(show_spinner=False)
def _fit(path: str, stamp: float, target: str, _settings: Settings) -> MmmFit:
    """The MMM fit of a weekly CSV (disk-cached by core.mmm; held here so reruns don't even unpickle)."""
    return get_fit(_settings, target=target, data_path=Path(path))


def cached_fit(s: Settings, path: Path | str | None = None, target: str = "leads") -> MmmFit:
    """The fit of model_ready.csv (or another weekly CSV), refitted only when the file changes."""
    path = Path(path or s.model_ready_path)
    stamp = path.stat().st_mtime if path.exists() else 0.0
    return _fit(str(path), stamp, target, s)


def toolbox(s: Settings, fit: MmmFit | None = None) -> Toolbox:
    """A fresh Toolbox per question that shares the app's open index and cached fit."""
    return Toolbox(s, index=get_index(s), fit=fit, fit_loader=lambda: cached_fit(s))


def backend_label(s: Settings) -> str:
    """Which answer engine the chat uses."""
    return "Claude agents" if s.anthropic_api_key else "Offline analyst (no API key)"


@contextmanager
def friendly(action: str) -> Iterator[None]:
    """Show any failure inside as one readable message instead of a traceback."""
    try:
        yield
    except (ValueError, RuntimeError, OSError, KeyError) as exc:
        log.exception("failed to %s", action)
        st.error(f"Could not {action}: {exc}")


def first_run(s: Settings) -> bool:
    """Generate the world and build the index when missing, with a progress display; False if it failed."""
    try:
        built = world_present(s.data_dir) and current_status(s).built
        steps = missing_steps(s, built)
    except INDEX_ERRORS as exc:  # e.g. another process holds the embedded Qdrant folder
        st.error(f"The search index could not be opened: {exc}")
        return False
    if not steps:
        return True
    with st.status("Setting up your workspace (first run)…", expanded=True) as box:
        bar = st.progress(0.0, text="Starting…")
        try:
            run_bootstrap(s, steps, lambda: get_index(s), lambda f, m: bar.progress(min(f, 1.0), text=m))
        except BootstrapError as exc:
            box.update(label="Setup could not finish", state="error")
            st.error(str(exc))
            return False
        box.update(label="Workspace ready", state="complete", expanded=False)
    refresh_status()
    return True


def sidebar(s: Settings) -> None:
    """Data and index status, chat backend and links."""
    with st.sidebar:
        st.markdown(f"**{APP_TITLE}**")
        st.caption(f"Data folder: `{s.data_dir}`")
        try:
            status: IndexStatus | None = current_status(s)
        except INDEX_ERRORS as exc:
            st.warning(f"Index unavailable: {exc}")
            status = None
        if status is not None and status.built:
            counts = " · ".join(f"{n:,} {name.split('_')[0]}" for name, n in status.counts.items())
            st.success(f"Index ready: {counts} chunks", icon=":material/check_circle:")
            if status.stale or status.missing:
                st.warning(f"{len(status.stale) + len(status.missing)} file(s) changed since the last "
                           "build — rebuild on the Data page.", icon=":material/sync_problem:")
            if status.skipped:
                named = "; ".join(f"{f.path} ({f.reason})" for f in status.skipped[:SKIPPED_SHOWN])
                more = f" and {len(status.skipped) - SKIPPED_SHOWN} more" if len(status.skipped) > SKIPPED_SHOWN else ""
                st.warning(f"{len(status.skipped)} file(s) could not be indexed: {named}{more}",
                           icon=":material/block:")
        elif status is not None and status.problems:
            st.warning(f"Index missing or damaged — rebuild it on the Data page. ({status.problems[0]})",
                       icon=":material/sync_problem:")
        elif status is not None:
            st.warning("Index not built yet — build it on the Data page.")
        st.info(f"Answers: {backend_label(s)}", icon=":material/smart_toy:")
        st.caption("Everything runs offline; set ANTHROPIC_API_KEY for Claude agents.")
