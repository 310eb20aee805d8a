"""Cached reads: each query is cached per warehouse file and data version.

The data version (the version of the warehouse snapshot readers see, see
``analytics.warehouse.connection``) changes with every commit, made in this app, in another
replica or by `lsp`, so the next rerun reads it without clearing anything by hand. It is
read before the query runs and the query reads the newest snapshot, so a cached result is
never older than its key says.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from analytics.warehouse import (
    collection,
    county,
    drafts,
    page_data,
    publication,
    queries,
    reminders,
    scrutiny,
    views,
)
from analytics.warehouse.connection import WAIT_LISTENERS, WarehouseError, warehouse_path


def _say_on_page(message: str) -> None:
    """A write that has to wait for another says so on the page that made it."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is not None:
        st.toast(message, icon=":material/hourglass_top:")


WAIT_LISTENERS["page"] = _say_on_page


def current_path() -> str:
    return str(warehouse_path())


def version() -> int:
    return queries.data_version(current_path())


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(name: str, path: str, data_version: int, args: tuple) -> Any:
    modules = (page_data, views, queries, scrutiny, publication, county, collection, drafts,
               reminders)  # fmt: skip
    module = next(m for m in modules if hasattr(m, name))
    return getattr(module, name)(path, *args)


def cached_query(name: str, path: str, data_version: int, *args) -> Any:
    """:func:`query` for a given warehouse file and data version: what the functions cached
    per data version in ui/ (``st.cache_resource``) build on."""
    return _cached(name, path, data_version, args)


def query(name: str, *args) -> Any:
    """Call ``<name>`` from ``analytics.warehouse.page_data``, ``views``, ``queries``,
    ``scrutiny``, ``publication``, ``county``, ``collection``, ``drafts`` or ``reminders`` (the
    first that has it) with the warehouse path and ``args``, through the cache."""
    path = current_path()
    return _cached(name, path, queries.data_version(path), args)


def warehouse_ready() -> bool:
    """False (with a message on the page) when there is no warehouse to read."""
    try:
        version()
    except WarehouseError as exc:
        st.error(str(exc))
        st.code(
            "make run        # builds the demo partnership\nlsp init --demo  # the same, by hand",
            language=None,
        )
        return False
    return True


def empty_note(frame: pd.DataFrame, what: str) -> bool:
    if frame.empty:
        st.info(f"No {what} yet.")
        return True
    return False


@st.cache_data(show_spinner=False, max_entries=64)
def _overview(path: str, data_version: int, partnership_id: int, period: str):
    from analytics import present

    return present.overview_view(_cached("overview", path, data_version, (partnership_id, period)))


def overview(partnership_id: int, period: str):
    """The Overview page's figures for ``period`` (``present.overview_view``), worked out once
    per data version: a view reads the counts and tables it draws, not every indicator's
    status to count them again."""
    path = current_path()
    return _overview(path, queries.data_version(path), partnership_id, period)


@st.cache_resource(show_spinner=False, max_entries=64)
def _overview_chart(path: str, data_version: int, partnership_id: int, period: str):
    from analytics import charts

    by_theme = _overview(path, data_version, partnership_id, period).by_theme
    return plotly_figure(charts.status_by_theme(by_theme, title=""))


def overview_chart(partnership_id: int, period: str):
    """The Overview's status counts per theme group as stacked bars (a plotly figure), made
    once per data version."""
    path = current_path()
    return _overview_chart(path, queries.data_version(path), partnership_id, period)


@st.cache_data(show_spinner=False, max_entries=64)
def _exception_themes(path: str, data_version: int, partnership_id: int, period: str):
    statuses, _ = _cached("exceptions", path, data_version, (partnership_id, period))
    return statuses["theme"].unique().tolist()


def exception_themes(partnership_id: int, period: str) -> list[str]:
    """The theme groups of the period's statuses, in report order (the Exceptions page's
    filter), per data version."""
    path = current_path()
    return _exception_themes(path, queries.data_version(path), partnership_id, period)


@st.cache_data(show_spinner=False, max_entries=64)
def _partnership_name(path: str, data_version: int, partnership_id: int) -> str:
    return str(_cached("partnerships", path, data_version, ()).set_index("partnership_id")
               .at[partnership_id, "name"])  # fmt: skip


def partnership_name(partnership_id: int) -> str:
    """A partnership's name, per data version."""
    path = current_path()
    return _partnership_name(path, queries.data_version(path), partnership_id)


@st.cache_data(show_spinner=False, max_entries=256)
def _exceptions_view(path: str, data_version: int, partnership_id: int, period: str,
                     chosen: tuple, themes: tuple, laa_only: bool):  # fmt: skip
    from analytics import present

    statuses, activities = _cached("exceptions", path, data_version, (partnership_id, period))
    return present.exceptions_view(statuses, activities, list(chosen), list(themes), laa_only)


def exceptions_view(partnership_id: int, period: str, chosen: list[str], themes: list[str],
                    laa_only: bool):  # fmt: skip
    """The Exceptions page's report for its filters (``present.exceptions_view``), worked out
    once per data version and filters: a view sends it again without filtering, formatting
    and converting every row again."""
    path = current_path()
    return _exceptions_view(path, queries.data_version(path), partnership_id, period,
                            tuple(chosen), tuple(themes), bool(laa_only))  # fmt: skip


@st.cache_data(show_spinner="Preparing the Board pack…", max_entries=16)
def _board_pack(path: str, data_version: int, partnership_id: int, period: str, fmt: str):
    from analytics.reports.board import board_pack_data, render

    return render(board_pack_data(path, partnership_id, period), fmt)


def board_pack_file(partnership_id: int, period: str, fmt: str) -> bytes:
    """The Board pack in ``fmt`` (xlsx, docx, html), built once per data version."""
    path = current_path()
    return _board_pack(path, queries.data_version(path), partnership_id, period, fmt)


def _plotly(figure: dict):
    """A figure dict as a plotly Figure, validated once and kept: the chart component
    (``ui.plotly_component``) encodes a kept Figure's JSON once, not on every rerun."""
    import plotly.graph_objects as go

    return go.Figure(figure)


# Figures are kept as objects (st.cache_resource: no copy per rerun), keyed on the data
# version like every cached read; nothing changes them after they are made.
@st.cache_resource(show_spinner=False, max_entries=64)
def _theme_chart(path: str, data_version: int, partnership_id: int, period: str, theme_id: int):
    from analytics import charts
    from analytics.charts.figure import figure

    values = _cached("theme", path, data_version, (partnership_id, period, theme_id))["values"]
    return _plotly(figure(charts.small_multiples(values)))


def theme_chart(partnership_id: int, period: str, theme_id: int):
    """A theme's trends as one small-multiples plotly figure, built once per data version."""
    path = current_path()
    return _theme_chart(path, queries.data_version(path), partnership_id, period, theme_id)


@st.cache_resource(show_spinner=False, max_entries=256)
def _indicator_charts(path: str, data_version: int, partnership_id: int, code: str):
    from analytics import charts
    from analytics.charts.figure import figure

    data = _cached("indicator", path, data_version, (partnership_id, code))
    values, spc = data["values"], data["spc"]
    trend = _plotly(figure(charts.trend(values, data["comparators"], spc=spc)))
    cumulative = not values.empty and values["measure_type"].iloc[0] == "cumulative"
    process = None
    if cumulative and len(spc):
        process = _plotly(figure(charts.process_chart(spc, values.iloc[0].to_dict())))
    return trend, process


def indicator_charts(partnership_id: int, code: str) -> tuple:
    """An indicator's trend as a plotly figure (with its SPC layers), and for a cumulative
    indicator the XmR chart of its quarterly increments (else None); built once per data
    version."""
    path = current_path()
    return _indicator_charts(path, queries.data_version(path), partnership_id, code)


@st.cache_data(show_spinner=False, max_entries=64)
def _framework_lists(path: str, data_version: int, partnership_id: int):
    from analytics import present

    framework = _cached("framework_indicators", path, data_version, (partnership_id,))
    return present.framework_lists(framework)


def framework_lists(partnership_id: int):
    """The framework's codes, titles and codes by theme group as the pickers list them
    (``present.framework_lists``), per data version."""
    path = current_path()
    return _framework_lists(path, queries.data_version(path), partnership_id)


@st.cache_data(show_spinner=False, max_entries=256)
def _indicator_tables(path: str, data_version: int, partnership_id: int, code: str) -> dict:
    from analytics import present

    data = _cached("indicator", path, data_version, (partnership_id, code))
    return present.indicator_tables(data)


def indicator_tables(partnership_id: int, code: str) -> dict:
    """The Indicator page's history, targets and loads tables (``present.indicator_tables``),
    laid out once per data version."""
    path = current_path()
    return _indicator_tables(path, queries.data_version(path), partnership_id, code)


@st.cache_resource(show_spinner=False, max_entries=256)
def _indicator_sentence(path: str, data_version: int, partnership_id: int, code: str) -> str:
    from analytics.charts import text

    return text.trend_sentence(_cached("indicator", path, data_version, (partnership_id, code))
                               ["values"])  # fmt: skip


def indicator_sentence(partnership_id: int, code: str) -> str:
    """An indicator's trend in a sentence (``charts.text.trend_sentence``), made once per data
    version (a string: shared, never copied)."""
    path = current_path()
    return _indicator_sentence(path, queries.data_version(path), partnership_id, code)


@st.cache_resource(show_spinner=False, max_entries=256)
def _trend_chart(path: str, data_version: int, partnership_id: int, codes: tuple, code: str,
                 height: int):  # fmt: skip
    from analytics import charts
    from analytics.charts import text

    values, comparators = _trend_data(path, data_version, partnership_id, codes, code)
    if values.empty:
        return None
    return plotly_figure(charts.trend(values, comparators, height)), text.trend_sentence(values)


def _trend_data(path: str, data_version: int, partnership_id: int, codes: tuple, code: str):
    data = _cached("trends", path, data_version, (partnership_id, codes))
    values, comparators = data["values"], data["comparators"]
    return values[values["code"] == code], comparators[comparators["code"] == code]


def trend_chart(partnership_id: int, codes: tuple[str, ...], code: str, height: int):
    """One of the Trends page's indicators (``codes``: all it shows): its trend as a plotly
    figure and in a sentence, or None when it has no values yet; made once per data version
    (shared objects, never changed)."""
    path = current_path()
    return _trend_chart(path, queries.data_version(path), partnership_id, codes, code, height)


def trend_data(partnership_id: int, codes: tuple[str, ...], code: str) -> tuple:
    """The values and comparators of one of the Trends page's indicators (its chart's data,
    for the table), copies of the cached reads."""
    path = current_path()
    return _trend_data(path, queries.data_version(path), partnership_id, codes, code)


@st.cache_resource(show_spinner=False, max_entries=64)
def _figure_of(spec_json: str):
    import json

    from analytics.charts.figure import figure

    return _plotly(figure(json.loads(spec_json)))


def plotly_figure(spec: dict):
    """A chart spec as a plotly figure (cached by the spec)."""
    import json

    return _figure_of(json.dumps(spec, sort_keys=True, default=str))


@st.cache_data(show_spinner=False, max_entries=32)
def _scrutiny_review(path: str, data_version: int, partnership_id: int, window, threshold: int):
    from analytics.scrutiny.present import review_facts, review_tables

    review = _cached("six_monthly_review", path, data_version, (partnership_id, window, threshold))
    return review_facts(review), review_tables(review)


def scrutiny_review(partnership_id: int, window, threshold: int) -> tuple[dict, dict]:
    """The six-monthly review of ``window`` as the page shows it: its facts and counts
    (``present.review_facts``) and its tables (``present.review_tables``), gathered and laid
    out once per data version, so a rerun only draws them (and unpickles no more than it
    draws)."""
    path = current_path()
    return _scrutiny_review(path, queries.data_version(path), partnership_id, window, threshold)


@st.cache_data(show_spinner=False, max_entries=256)
def _scrutiny_run(path: str, data_version: int, partnership_id: int, window, threshold, code):
    from analytics.scrutiny.present import run_table, words

    review = _cached("six_monthly_review", path, data_version, (partnership_id, window, threshold))
    return words(run_table(review, code))


def scrutiny_run(partnership_id: int, window, threshold: int, code: str) -> pd.DataFrame:
    """One persistent exception's run quarter by quarter, with status words (cached)."""
    path = current_path()
    version = queries.data_version(path)
    return _scrutiny_run(path, version, partnership_id, window, threshold, code)


@st.cache_data(show_spinner="Preparing the scrutiny pack…", max_entries=16)
def _scrutiny_pack(path: str, data_version: int, partnership_id: int, window, threshold, fmt):
    from analytics.reports.scrutiny import render, scrutiny_pack_data

    return render(scrutiny_pack_data(path, partnership_id, window, threshold), fmt)


def scrutiny_pack_file(partnership_id: int, window, threshold: int, fmt: str) -> bytes:
    """The scrutiny pack for a review window in ``fmt``, built once per data version."""
    path = current_path()
    version = queries.data_version(path)
    return _scrutiny_pack(path, version, partnership_id, window, threshold, fmt)


@st.cache_data(show_spinner="Preparing the update…", max_entries=16)
def _changes_report(path: str, data_version: int, partnership_id: int, since, fmt: str):
    from analytics.reports.changes import changes_data, render

    return render(changes_data(path, partnership_id, since), fmt)


def changes_file(partnership_id: int, since, fmt: str) -> bytes:
    """What changed since a date (the Leader's update to full Council) in ``fmt``."""
    path = current_path()
    return _changes_report(path, queries.data_version(path), partnership_id, since, fmt)


@st.cache_data(show_spinner="Preparing the county pack…", max_entries=16)
def _county_pack(path: str, data_version: int, user, county_id: int, period: str, fmt: str):
    from analytics.reports.county import county_pack_data, render

    return render(county_pack_data(path, county_id, period, user), fmt)


def county_pack_file(user, county_id: int, period: str, fmt: str) -> bytes:
    """The county LAA pack as ``user`` may see it, in ``fmt``."""
    path = current_path()
    return _county_pack(path, version(), user, county_id, period, fmt)
