"""`lsp status`: the stored statuses as at a period, as a table, CSV or JSON.

lsp status [--period "2009/10 Q2"] [--theme T] [--exceptions] [--format table|csv|json]
"""

from __future__ import annotations

import argparse
import sys

from analytics.cli.common import (
    Rejected,
    UsageError,
    chosen_partnership,
    partnership_option,
    period_type,
)

# The SPC reading as at the period, from the values up to and including it (docs/spc.md).
SPC_COLUMNS = (
    "spc_mean", "spc_lower_limit", "spc_upper_limit", "spc_trial_limits", "spc_point",
    "spc_variation", "spc_assurance",
)  # fmt: skip

# How a county figure is made from its districts' (docs/county.md): the rule, the numerator
# and denominator where the rule uses them, and for a county the figure made from its
# districts' beside the actual_value it reported.
COUNTY_COLUMNS = ("aggregation_rule", "numerator", "denominator", "county_computed_value")

STATUS_COLUMNS = (
    "theme", "indicator_code", "title", "period", "actual_value", "period_value", "ytd_value",
    "target_value", "annual_target_value", "rag_status", "rag_reason", "dot_previous",
    "dot_last_year", "persistence_periods", "forecast_value", "forecast_status", "is_laa",
    *SPC_COLUMNS, *COUNTY_COLUMNS,
)  # fmt: skip

# Left out of the table printed for people (CSV and JSON carry every column).
WIDE_COLUMNS = (
    "title", "rag_reason", "forecast_value", "forecast_status", "is_laa", "annual_target_value",
    "ytd_value", "period_value", *SPC_COLUMNS, *COUNTY_COLUMNS,
)  # fmt: skip


def cmd_status(args: argparse.Namespace) -> int:
    import pandas as pd

    from analytics import board
    from analytics.warehouse import queries, views

    partnership = chosen_partnership(args)
    available = queries.periods_with_data(args.warehouse, partnership.id)
    if not available:
        raise Rejected("No values loaded yet: nothing to report.")
    period = str(args.period) if args.period else available[0]
    statuses = views.statuses_as_at(args.warehouse, partnership.id, period)
    if args.theme:
        wanted = args.theme.lower()
        keep = statuses["theme"].str.lower().eq(wanted) | statuses["theme_short"].str.lower().eq(
            wanted
        )
        if not keep.any():
            raise UsageError(
                f"--theme: no theme group {args.theme!r}; there are: "
                f"{', '.join(statuses['theme'].unique())}"
            )
        statuses = statuses[keep]
    if args.exceptions:
        statuses = board.exceptions(statuses)
    from analytics.warehouse.county import status_columns

    extra = status_columns(args.warehouse, partnership.id, statuses)
    statuses = statuses.reset_index(drop=True).assign(
        **{c: extra[c].to_numpy() for c in COUNTY_COLUMNS}
    )
    out = statuses.rename(columns={"code": "indicator_code"}).reindex(columns=list(STATUS_COLUMNS))
    out = out.assign(
        period=out["period"].astype(str),
        spc_trial_limits=out["spc_trial_limits"].map(
            lambda v: None if v is None or pd.isna(v) else bool(v)
        ),
        **{
            c: out[c].fillna("")
            for c in ("spc_point", "spc_variation", "spc_assurance", "aggregation_rule")
        },  # fmt: skip
    )
    if args.format == "csv":
        from analytics.reports.writers.csv_file import frame_to_csv

        trial = {True: "true", False: "false"}
        frame_to_csv(out.assign(spc_trial_limits=out["spc_trial_limits"].map(trial)), sys.stdout)
    elif args.format == "json":
        print(out.to_json(orient="records", indent=1, date_format="iso"))
    else:
        shown = out.assign(theme=statuses["theme_short"].to_numpy()).drop(
            columns=list(WIDE_COLUMNS)
        )
        print(f"Status as at {period} ({len(out)} indicators)")
        print(shown.to_string(index=False, na_rep="–", max_colwidth=28))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """`lsp status` on the `lsp` parser."""
    status = sub.add_parser(
        "status",
        help="print the stored statuses as at a period",
        description="Print the stored statuses (RAG, direction of travel, forecast) of every "
        "indicator as at a period, with its statistical process control reading as at that "
        "period (spc_mean, spc_lower_limit, spc_upper_limit, spc_trial_limits, spc_point, "
        "spc_variation, spc_assurance: see docs/spc.md) and how a county figure is made from "
        "its districts' (aggregation_rule; numerator and denominator where the rule uses "
        "them; for a county, county_computed_value beside the actual_value it reported: see "
        "docs/county.md).",
    )
    status.add_argument(
        "--period",
        type=period_type(),
        metavar="PERIOD",
        help="a quarter, half-year or year, e.g. '2009/10 Q2' (default: the latest quarter "
        "with data)",
    )
    status.add_argument("--theme", help="only this theme group (its name or short name)")
    status.add_argument("--exceptions", action="store_true", help="amber, red and missing only")
    status.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="a table to read, or CSV or JSON with every column (default: table)",
    )
    partnership_option(status)
    status.set_defaults(func=cmd_status)
