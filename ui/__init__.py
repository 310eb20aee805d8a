"""Streamlit helpers shared by the pages: cached reads, the sidebar context, badges.

Only this package and ``pages/`` import streamlit; ``analytics/`` never does.
"""
