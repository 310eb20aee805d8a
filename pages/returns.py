"""Returns: being built (issue 3)."""

import streamlit as st

st.title("Returns")
