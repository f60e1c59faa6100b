"""Shared Streamlit plumbing for app.py and the page scripts (kept out of pages/, which holds only pages)."""
