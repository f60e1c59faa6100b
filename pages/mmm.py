import streamlit as st

st.title("mmm")
