import streamlit as st

st.title("gallery")
