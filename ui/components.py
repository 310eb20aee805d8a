"""Shared widgets: status-coloured tables (colour and word together), navigation links."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import labels

_BY_LABEL = {text: status for status, text in labels.STATUS.items()}
_ACTION_BY_LABEL = {text: status for status, text in labels.ACTION_STATUS.items()}


def _cell_style(text: object) -> str:
    status = _BY_LABEL.get(text)
    if status is None:
        action = _ACTION_BY_LABEL.get(text)
        if action is None:
            return ""
        colour, ink = labels.ACTION_COLOUR[action], labels.ACTION_TEXT_COLOUR[action]
        return f"background-color: {colour}; color: {ink}"
    colour, ink = labels.STATUS_COLOUR[status], labels.STATUS_TEXT_COLOUR[status]
    return f"background-color: {colour}; color: {ink}; font-weight: 600"


def status_table(
    frame: pd.DataFrame,
    *,
    key: str | None = None,
    height: int | str = "auto",
    selectable: bool = False,
    columns: dict | None = None,
):
    """A dataframe whose status cells are filled with the status colour; the word and symbol
    stay in the cell. With ``selectable`` a row can be picked (returns the selection)."""
    status_cols = [c for c in frame.columns if c in {"Status", "Was", "Now", "Forecast status"}]
    styled = frame.style.map(_cell_style, subset=status_cols) if status_cols else frame
    config = {
        "Commentary": st.column_config.TextColumn(width="large"),
        "Remedial action": st.column_config.TextColumn(width="large"),
        "Why": st.column_config.TextColumn(width="large"),
        "Indicator": st.column_config.TextColumn(width="medium"),
        "Code": st.column_config.TextColumn(pinned=True),
        **(columns or {}),
    }
    if selectable:
        return st.dataframe(
            styled,
            hide_index=True,
            height=height,
            key=key,
            on_select="rerun",
            selection_mode="single-row",
            column_config=config,
        )
    return st.dataframe(styled, hide_index=True, height=height, key=key, column_config=config)


def selected_row(selection, frame: pd.DataFrame) -> pd.Series | None:
    rows = getattr(getattr(selection, "selection", None), "rows", None) or []
    return frame.iloc[rows[0]] if rows else None


def open_indicator(code: str) -> None:
    st.switch_page("pages/indicator.py", query_params={"indicator": code})


def open_theme(theme_id: int) -> None:
    st.switch_page("pages/theme.py", query_params={"theme": str(theme_id)})


def status_summary(
    counts: pd.Series,
    statuses: tuple[str, ...],
    words: dict[str, str] = labels.STATUS,
    badges: dict[str, str] = labels.STATUS_BADGE,
    *,
    wrap: bool = False,
) -> None:
    """One tile per status: a badge (or, with ``wrap``, coloured text) with the word and
    symbol, the count as a heading.

    Made of markdown and headings only, which Streamlit draws from its main script: no
    component is fetched first, so the summary paints with the page's title (st.metric
    would wait for its own script and the sidebar's)."""
    for col, status in zip(st.columns(len(statuses)), statuses, strict=True):
        with col.container(border=True):
            colour, word = badges[status], words[status]
            # a badge stays on one line; long words (the action statuses) go as coloured text
            st.markdown(f"**:{colour}[{word}]**" if wrap else f":{colour}-badge[{word}]")
            st.header(f"{int(counts.get(status, 0)):,}", anchor=False)


def status_legend() -> None:
    st.caption(
        "Status: "
        + " · ".join(labels.STATUS.values())
        + ". Colours are chosen to be told apart with colour-blindness; the word and "
        "symbol always say the same thing."
    )


def how_status_is_decided() -> None:
    """The rules in words, on screen where statuses are shown."""
    from analytics.status import RULES_HELP_MARKDOWN

    with st.expander("How status is decided"):
        st.markdown(RULES_HELP_MARKDOWN)
