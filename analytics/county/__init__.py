"""The county and its districts: the Local Area Agreement as one agreement (pure pandas).

In two-tier areas the county partnership agrees the LAA with government; its districts
deliver contributions to it. Nothing here reads the warehouse or imports streamlit: the
frames come from :mod:`analytics.warehouse.county`, and go to the County page, the county
pack (:mod:`analytics.reports.county`) and ``lsp status``.

- :mod:`~analytics.county.aggregate`: a county figure from its districts' figures, by the
  indicator's aggregation rule (the vocabulary's ``AGGREGATION_RULE_TABLE``): ``sum``,
  ``ratio`` (sum of numerators over sum of denominators, never the mean of percentages),
  ``rate_per_population`` (events over population times a multiplier) or ``county_only``.
- :mod:`~analytics.county.judge`: a figure's status against a target, by the indicator's own
  status rule, and its direction of travel.
- :mod:`~analytics.county.contributions`: whether the districts' contribution targets add up
  to the county's target, each district's gap and the district holding the largest share of it.
- :mod:`~analytics.county.view`: the county view, one row per LAA indicator and a cell per
  district.
- :mod:`~analytics.county.reward`: the Performance Reward Grant forecast.
"""
