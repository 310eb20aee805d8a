"""The status engine: RAG, direction of travel, forecasts, persistence, changes, milestones.

Pure pandas/numpy: DataFrames in, DataFrames out; no I/O, no Streamlit, no DuckDB. The text
below is shown on screen (``RULES_HELP`` holds the per-rule wording for the "how status is
decided" panel).

Main entry point
----------------
``compute_statuses(indicators, targets, actuals, periods, as_of=None)`` returns one row per
(indicator, due period). An indicator reported quarterly or monthly is due in every quarter
code in ``periods`` (monthly indicators are judged on their quarter's value), an annual or
biennial one in every year code. A due period with no value gives a ``missing`` row. Rows
come quarterly-reported indicators first, then annual and biennial ones; within each, in the
order of ``indicators``, then by period. Comparisons and persistence look back through all
the actuals given, not only the periods asked for.

Columns
-------
- ``indicator_id``; ``period``: canonical code (a categorical in time order).
- ``actual_value``: the value as reported (for a cumulative measure, the year-to-date figure).
- ``period_value``: the period's own value: for a cumulative measure this quarter's increment
  (year to date minus the previous quarter's; the Q1 figure itself in Q1), else the actual.
- ``ytd_value``: year to date (cumulative measures only, else empty).
- ``target_value``: the period's target. Cumulative measures: the year-to-date target at the
  end of the quarter, from the quarterly profile where given, else a straight line
  (annual x quarter / 4). Snapshot measures: the quarter's profile value where given, else
  the annual target.
- ``annual_target_value``: the financial year's target in force; ``target_version`` its
  version; ``original_target_value``: the year's original annual target (lowest version set by
  ``as_of``), for reporting against the original after a refresh. Version in force: latest
  ``set_on`` on or before ``as_of`` (ties: higher version); ``as_of=None``: highest version.
- ``is_placeholder``: the target in force is a placeholder (no status is given against it).
- ``rag_status``: one of green, amber, red, missing, no_target, no_new_data (see below).
- ``rag_reason``: why, in words, e.g. "met target 45.0% (actual 46.2%)".
- ``dot_previous`` / ``dot_last_year``: direction of travel against the previous period and
  the same period last year: improving, no_change, worsening, or empty when no comparison is
  possible (a value missing, or no polarity). Values are rounded to the indicator's decimals;
  a change of at most ``dot_threshold`` (default 0) is no change. Cumulative measures: against
  last year, year to date with year to date; against the previous period, the quarter's own
  increment with the previous quarter's (like with like; Q1 is compared with the previous
  year's Q4 increment). Biennial surveys: "previous" is the previous survey.
- ``forecast_value``: year-end forecast. Cumulative: run rate, year to date / quarters elapsed
  x 4. Snapshot: the latest value (a trend line over three or four seasonal quarters is too
  easily misleading, so "if nothing changes" is the forecast). Annual values are outturns.
- ``forecast_status``: the status the forecast gets against the annual target by the same
  rule (for improved-on-last-year, against last year's year-end value).
- ``persistence_periods``: consecutive periods, up to and including this one, the indicator
  has been amber or red (0 otherwise). "No new data" years between surveys do not break it.
- ``status_rule``: the rule applied; plus any other columns of ``actuals`` (commentary...).

Status rules (``status_rule``; default ``pct_tolerance`` with a 5% tolerance)
-------------------------------------------------------------------------------
Values and targets are rounded to the indicator's decimals (half away from zero) before
they are compared. In order: a biennial indicator in a year not in ``survey_years`` is
``no_new_data``; no value is ``missing``; a data-only rule or no polarity is ``no_target``
("data only: no status"); no target in force, or a placeholder target, is ``no_target``
(never green); otherwise green if the target is met or beaten (after polarity), and amber or
red by the rule (see ``RULES_HELP``). The improved-on-last-year rule gives red, not amber,
when there is no value for the same period last year: amber needs evidence of improvement.

Other functions
---------------
- ``status_changes(before, after)``: what changed since the last Board.
- ``rollup_statuses(statuses, indicators, by=("theme_id",))``: counts per status.
- ``milestone_statuses(milestones, as_of)`` / ``action_statuses(milestone_frame)``.
- ``targets_in_force(targets, as_of)``; ``format_value(value, decimals, unit)``.
"""

from analytics.formatting import format_value
from analytics.status.actions import ACTION_STATUSES, action_statuses, milestone_statuses
from analytics.status.changes import CHANGES, rollup_statuses, status_changes
from analytics.status.engine import OUTPUT_COLUMNS, compute_statuses
from analytics.status.help import RULES_HELP, RULES_HELP_MARKDOWN
from analytics.status.targets import targets_in_force
from analytics.vocabulary import DIRECTIONS, STATUSES
from analytics.vocabulary import EXCEPTION_STATUSES as EXCEPTIONS
from analytics.vocabulary import STATUS_RULES as RULES

__all__ = [
    "ACTION_STATUSES",
    "CHANGES",
    "DIRECTIONS",
    "EXCEPTIONS",
    "OUTPUT_COLUMNS",
    "RULES",
    "RULES_HELP",
    "RULES_HELP_MARKDOWN",
    "STATUSES",
    "action_statuses",
    "compute_statuses",
    "format_value",
    "milestone_statuses",
    "rollup_statuses",
    "status_changes",
    "targets_in_force",
]
