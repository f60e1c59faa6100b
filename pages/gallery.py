"""Creative gallery: every ad creative, filterable and searchable, with a large view."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from core.catalog import load_csv
from core.catalog.images import LARGE_SIDE, THUMB_SIDE, ImageCheck, modified, open_image_inside
from core.catalog.paths import SkipReason, resolve_inside
from core.viz.gallery import (
    Creative,
    Gallery,
    facets,
    filter_creatives,
    order_by_hits,
    read_gallery,
)
from core.viz.markdown import strip_remote_images as clean
from ui.common import friendly, get_index, settings

COLUMNS = 4
SEARCH_K = 48
PAGE_CARDS = 24  # a page of cards renders fast; "Show more" adds the next page

s = settings()


@st.cache_data(show_spinner=False)
def _manifest(path: str, mtime: float) -> pd.DataFrame:
    """The asset manifest table, read by the catalog's one CSV reader (mtime in the key so edits show up)."""
    loaded = load_csv(Path(path))
    if loaded.error or loaded.df is None:
        raise ValueError(loaded.error or "unreadable")
    return loaded.df


@st.cache_data(show_spinner=False, max_entries=256)
def _image(assets_dir: str, file: str, mtime: float, side: int) -> ImageCheck:
    """A creative opened safely, only from inside the assets folder (mtime in the key: edits show up)."""
    return open_image_inside(Path(assets_dir), file, max_side=side)


def _picture(item: Creative, side: int) -> None:
    """The creative's image, or a warning naming the file and why it cannot be shown."""
    check = _image(str(s.assets_dir), item.file, modified(item.path), side)
    if check.thumbnail is not None:
        st.image(check.thumbnail, width="stretch")
    else:
        st.warning(clean(check.reason(item.file)), icon=":material/broken_image:")


@st.dialog("Creative", width="large")
def _show(item: Creative) -> None:
    """The large view of one creative with its manifest details."""
    st.subheader(item.headline or clean(item.file))
    _picture(item, LARGE_SIDE)
    if item.description:
        st.markdown(item.description)
    details = [(label, clean(value)) for label, value in item.details()]
    st.table(pd.DataFrame(details, columns=["", "Value"]).set_index(""))


st.title("Creative gallery")
st.caption("Every ad creative in the asset manifest. Filter by channel, model and format, or describe what "
           "you are looking for — the search reads headlines and descriptions.")

if s.manifest_path.exists() and resolve_inside(s.data_dir, s.manifest_path) is None:
    st.warning(f"The asset manifest {SkipReason.OUTSIDE.value}; it is not read.", icon=":material/hide_image:")
    st.stop()

gallery = Gallery()
with friendly("read the asset manifest"):
    table = (_manifest(str(s.manifest_path), s.manifest_path.stat().st_mtime) if s.manifest_path.exists()
             else pd.DataFrame(columns=["file"]))  # no manifest: every image gets a card from its folder and name
    gallery = read_gallery(table, s.assets_dir)
items = gallery.items
if not items and not s.manifest_path.exists():
    st.info("No creatives yet: there is no asset manifest and no image under assets/. Add images (one folder "
            "per channel) or regenerate the data on the Data management page.", icon=":material/hide_image:")
    st.stop()
if gallery.skipped:
    st.warning(clean(gallery.warning()), icon=":material/hide_image:")
f = facets(items)
c1, c2, c3 = st.columns(3)
channels = c1.multiselect("Channel", f.channels, key="gal_channel", placeholder="All channels")
models = c2.multiselect("Model", f.models, key="gal_model", placeholder="All models")
formats = c3.multiselect("Format", f.formats, key="gal_format", placeholder="All formats")
query = st.text_input("Search creatives", key="gal_query", placeholder="e.g. family loading bikes at dusk")

shown = items
if query.strip():
    with friendly("search the creatives"):
        # Single-value filters go to the index so the top-k is drawn from the right subset.
        hits = get_index(s).search_assets(query, k=SEARCH_K, channel=channels[0] if len(channels) == 1 else None,
                                          model=models[0] if len(models) == 1 else None)
        shown = order_by_hits(items, [h.metadata.get("file", "") for h in hits])
shown = filter_creatives(shown, channels, models, formats)

limit = st.session_state.get("gal_limit", PAGE_CARDS)
label = f"matching “{query.strip()}”" if query.strip() else "in the manifest"
st.caption(f"{len(shown)} of {len(items)} creatives {label}"
           + (f" — showing the first {limit}" if len(shown) > limit else ""))
if not shown:
    st.info("No creative matches these filters. Clear a filter or try other words.", icon=":material/search_off:")

grid = st.columns(COLUMNS)
for i, item in enumerate(shown[:limit]):
    with grid[i % COLUMNS].container(border=True):
        _picture(item, THUMB_SIDE)
        st.markdown(f"**{item.headline or clean(item.file)}**")
        st.caption(" · ".join(x for x in (item.channel, item.model, item.format) if x))
        if st.button("View", key=f"view_{item.file}", icon=":material/zoom_in:"):
            _show(item)

if len(shown) > limit:
    st.button(f"Show more ({len(shown) - limit} left)", key="gal_more", icon=":material/expand_more:",
              on_click=lambda: st.session_state.update(gal_limit=limit + PAGE_CARDS))
