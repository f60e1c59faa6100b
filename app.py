"""Marketing Intelligence Platform: Streamlit entry point (navigation, first-run setup, sidebar)."""

import streamlit as st

from ui.common import APP_TITLE, first_run, settings, sidebar

st.set_page_config(page_title=APP_TITLE, page_icon=":material/insights:", layout="wide")

PAGES = [
    st.Page("pages/chat.py", title="Chat", icon=":material/forum:", default=True),
    st.Page("pages/mmm.py", title="MMM dashboard", icon=":material/monitoring:"),
    st.Page("pages/gallery.py", title="Creative gallery", icon=":material/photo_library:"),
    st.Page("pages/data.py", title="Data management", icon=":material/database:"),
]

current = settings()
page = st.navigation(PAGES)
ready = first_run(current)
sidebar(current)
if ready:
    page.run()
