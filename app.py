"""Marketing Intelligence Platform: Streamlit entry point (navigation, first-run setup, sidebar)."""

import streamlit as st

from ui.common import APP_TITLE, first_run, settings, sidebar

st.set_page_config(page_title=APP_TITLE, page_icon=":material/insights:", layout="wide")

PAGES = [
    st.Page("pages/chat.py", title="Chat", icon=":material/forum:", default=True),
    st.Page("pages/mmm.py", title="MMM dashboard", icon=":material/monitoring:"),
    st.Page("pages/gallery.py", title="Creative gallery", icon=":material/photo_library:"),
]
DATA_PAGE = st.Page("pages/data.py", title="Data management", icon=":material/database:")
PAGES.append(DATA_PAGE)

current = settings()
page = st.navigation(PAGES)
ready = first_run(current)
sidebar(current)
if ready or page.url_path == DATA_PAGE.url_path:  # the Data page is where a failed setup gets fixed
    page.run()
else:
    st.page_link(DATA_PAGE, label="Open Data management to fix the files or rebuild the index",
                 icon=":material/build:")
