"""Reads for the county and its districts: who is whose county, and what the county view is
made from (:class:`analytics.county.view.CountyInputs`), in a handful of queries.

:func:`county_view_for` is the read a person makes: it checks, where the read happens, that
the user may see the county's LAA figures (``county.read``, which a role in one of its
districts reaches), and withholds other districts' unpublished data from a district's reader
(:func:`analytics.county.view.redact`).
"""

from __future__ import annotations

import pandas as pd

from analytics import periods
from analytics.access import User, may, require, with_tiers
from analytics.county.view import (
    CountyInputs,
    CountyView,
    comparison_periods,
    county_view,
    indicator_period,
    redact,
)
from analytics.warehouse.queries import _frame


def _objects(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Python objects: the county view merges and groups on small frames,
    where pandas' Arrow-backed strings cost more than they save."""
    text = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c])]
    return frame.astype(dict.fromkeys(text, object)) if text else frame


def partnership_tree(path=None) -> pd.DataFrame:
    """Every partnership with its parent: partnership_id, partnership_code, name, tier,
    parent_id, districts (how many name it as their county), indicators."""
    return _frame(
        path,
        """
        SELECT p.partnership_id, p.partnership_code, p.name, p.tier, p.parent_id,
               (SELECT count(*) FROM partnership c WHERE c.parent_id = p.partnership_id)
                   AS districts,
               (SELECT count(*) FROM indicator i WHERE i.partnership_id = p.partnership_id)
                   AS indicators
        FROM partnership p ORDER BY p.partnership_id""",
    )


def parent_map(path=None) -> dict[int, int | None]:
    """Partnership id -> its county's id (None: none), for :func:`analytics.access.with_tiers`."""
    tree = partnership_tree(path)
    return {
        int(pid): (None if pd.isna(parent) else int(parent))
        for pid, parent in zip(tree["partnership_id"], tree["parent_id"], strict=True)
    }


def county_for(path, partnership_id: int) -> int | None:
    """The county whose LAA a partnership's County page shows: itself when it has districts,
    else its parent (when it has one), else None."""
    tree = partnership_tree(path).set_index("partnership_id")
    if partnership_id not in tree.index:
        return None
    row = tree.loc[partnership_id]
    if int(row["districts"]) > 0:
        return int(partnership_id)
    if not pd.isna(row["parent_id"]):
        return int(row["parent_id"])
    return None


def county_quarters(path, county_id: int) -> list[str]:
    """Quarters with any value in the county or its districts, latest first."""
    frame = _frame(
        path,
        """
        SELECT DISTINCT a.period, a.period_end FROM actual a
        JOIN indicator i USING (indicator_id)
        JOIN partnership p ON p.partnership_id = i.partnership_id
        WHERE (p.partnership_id = $cid OR p.parent_id = $cid) AND a.is_current
          AND a.period LIKE '%Q_'
        ORDER BY a.period_end DESC""",
        {"cid": county_id},
    )
    return frame["period"].tolist()


_INDICATORS = """
    SELECT i.indicator_id, i.code, i.title, t.name AS theme, t.sort_order AS theme_order,
           i.laa_status, i.is_laa, i.is_reward, i.aggregation_rule, i.unit, i.decimals,
           i.polarity, i.frequency, i.measure_type, i.survey_years, i.status_rule,
           i.amber_tolerance_pct, i.amber_tolerance_abs, i.green_tolerance_pct,
           i.minimum_standard, i.dot_threshold, i.ratio_multiplier, i.baseline_value,
           i.reward_share_pct
    FROM indicator i JOIN theme t USING (theme_id)
    WHERE i.partnership_id = $cid AND i.is_active AND i.is_laa
    ORDER BY t.sort_order, i.code"""


def county_inputs(path, county_id: int, period: str) -> CountyInputs:
    """Everything the county view of ``period`` (a quarter) is made from."""
    cid = {"cid": int(county_id)}
    county = (
        _frame(
            path,
            """
        SELECT partnership_id, partnership_code, name, tier, reward_grant_total,
               reward_threshold_pct, reward_capital_pct
        FROM partnership WHERE partnership_id = $cid""",
            cid,
        )
        .iloc[0]
        .to_dict()
    )
    districts = _frame(
        path,
        "SELECT partnership_id, partnership_code AS district_code, name FROM partnership"
        " WHERE parent_id = $cid ORDER BY name",
        cid,
    )
    indicators = _frame(path, _INDICATORS, cid)
    codes = indicators["code"].tolist()
    wanted = set()
    for f, s in zip(indicators["frequency"], indicators["survey_years"], strict=True):
        p = indicator_period(f, s, period)
        wanted |= {p, *comparison_periods(f, s, p)}
    wanted_list = sorted(wanted)
    ends = [periods.parse_code(p).end for p in wanted_list]
    lo, hi = (min(ends), max(ends)) if ends else (None, None)
    county_rows = _frame(
        path,
        """
        WITH mine AS (SELECT indicator_id, code FROM indicator WHERE partnership_id = $cid),
        targets AS (
            SELECT m.code, t.financial_year, t.target_value, t.q1_value, t.q2_value,
                   t.q3_value, t.q4_value, t.target_without_stretch, NULL AS period,
                   NULL AS actual_value, NULL AS forecast_value, 't' AS kind
            FROM target t JOIN mine m USING (indicator_id)
            WHERE list_contains($years, t.financial_year)
            QUALIFY row_number() OVER (PARTITION BY t.indicator_id, t.financial_year
                                       ORDER BY t.set_on DESC, t.version DESC) = 1
        ),
        vals AS (
            SELECT m.code, NULL, NULL, NULL, NULL, NULL, NULL, NULL, a.period, a.actual_value,
                   NULL, 'v'
            FROM actual a JOIN mine m USING (indicator_id)
            WHERE a.is_current AND list_contains($periods, a.period)
              AND a.period_end BETWEEN $lo AND $hi
        )
        SELECT * FROM targets UNION ALL SELECT * FROM vals""",
        {
            **cid,
            "periods": wanted_list,
            "lo": lo,
            "hi": hi,
            "years": sorted({periods.year_of(p) for p in [*wanted_list, period]}),
        },  # fmt: skip
    )
    by_kind = {k: part.drop(columns="kind") for k, part in county_rows.groupby("kind")}
    empty = county_rows.drop(columns="kind").iloc[:0]
    targets = by_kind.get("t", empty)[["code", "financial_year", "target_value", "q1_value",
                                       "q2_value", "q3_value", "q4_value",
                                       "target_without_stretch"]]  # fmt: skip
    values = by_kind.get("v", empty)[["code", "period", "actual_value"]]
    district_rows = _frame(
        path,
        """
        WITH mine AS (
            SELECT i.indicator_id, i.code, p.partnership_code AS district_code
            FROM indicator i JOIN partnership p ON p.partnership_id = i.partnership_id
            WHERE p.parent_id = $cid AND list_contains($codes, i.code)
        )
        SELECT m.district_code, m.code, a.period, a.actual_value, a.numerator_value,
               a.denominator_value, s.rag_status, s.dot_previous, s.dot_last_year,
               (a.indicator_id IS NOT NULL) AS has_value
        FROM mine m
        LEFT JOIN actual a ON a.indicator_id = m.indicator_id AND a.is_current
             AND list_contains($periods, a.period) AND a.period_end BETWEEN $lo AND $hi
        LEFT JOIN indicator_status s ON s.indicator_id = m.indicator_id AND s.period = a.period
             AND s.period_end BETWEEN $lo AND $hi
        """,  # the period_end range lets DuckDB skip row groups of other years
        {**cid, "codes": codes, "periods": wanted_list, "lo": lo, "hi": hi},
    )
    collected = district_rows[["district_code", "code"]].drop_duplicates()
    with_value = district_rows[district_rows["has_value"].astype(bool)]
    side = _frame(
        path,
        """
        SELECT 'c' AS kind, c.district_code, i.code, c.financial_year, c.contribution_value,
               NULL::DOUBLE AS population, NULL AS partner, NULL::DOUBLE AS share_pct
        FROM contribution_target c JOIN indicator i USING (indicator_id)
        WHERE i.partnership_id = $cid
        UNION ALL
        SELECT 'p', p.partnership_code, NULL, p.financial_year, NULL, p.population, NULL, NULL
        FROM population p
        WHERE p.partnership_code IN (SELECT partnership_code FROM partnership
                                     WHERE parent_id = $cid)
        UNION ALL
        SELECT 'a', NULL, i.code, NULL, NULL, NULL, r.partner, r.share_pct
        FROM reward_allocation r JOIN indicator i USING (indicator_id)
        WHERE i.partnership_id = $cid
        ORDER BY 1, 3, 8 DESC, 7""",
        cid,
    )
    adjustments = _frame(
        path,
        "SELECT decided_on, adjustment, reduction_pct, note FROM reward_adjustment"
        " WHERE partnership_id = $cid ORDER BY decided_on",
        cid,
    )
    districts, indicators = _objects(districts), _objects(indicators)
    targets, values = _objects(targets), _objects(values)
    with_value, collected, side = _objects(with_value), _objects(collected), _objects(side)
    return CountyInputs(
        county=county,
        period=period,
        districts=districts,
        indicators=indicators,
        county_targets=targets.reset_index(drop=True),
        county_values=values.reset_index(drop=True),
        district_values=with_value[
            [
                "district_code",
                "code",
                "period",
                "actual_value",
                "numerator_value",
                "denominator_value",
            ]
        ],  # fmt: skip
        district_statuses=with_value[
            ["district_code", "code", "period", "rag_status", "dot_previous", "dot_last_year"]
        ],  # fmt: skip
        district_indicators=collected.reset_index(drop=True),
        contributions=side.loc[
            side["kind"].eq("c"), ["code", "district_code", "financial_year", "contribution_value"]
        ],  # fmt: skip
        populations=side.loc[
            side["kind"].eq("p"), ["district_code", "financial_year", "population"]
        ],  # fmt: skip
        allocations=side.loc[side["kind"].eq("a"), ["code", "partner", "share_pct"]],
        adjustments=adjustments,
    )


def published_for(path, county_id: int, codes: list[str], wanted: list[str]) -> pd.DataFrame:
    """The districts' published figures (the latest publication of each indicator and
    period): district_code, code, period, actual_value."""
    return _frame(
        path,
        """
        SELECT p.partnership_code AS district_code, i.code, v.period, v.actual_value
        FROM published_value v JOIN indicator i USING (indicator_id)
        JOIN partnership p ON p.partnership_id = v.partnership_id
        WHERE p.parent_id = $cid AND list_contains($codes, i.code)
          AND list_contains($periods, v.period)
        QUALIFY row_number() OVER (PARTITION BY v.indicator_id, v.period
                                   ORDER BY v.publication_id DESC) = 1""",
        {"cid": county_id, "codes": codes, "periods": wanted},
    )


def county_view_for(path, viewer: User | None, county_id: int, period: str) -> CountyView:
    """The county view as ``viewer`` may see it: refused (PermissionDenied) unless their role
    reaches the county's LAA figures; another district's unpublished data withheld from a
    reader whose role does not reach that district. (A read: ``viewer``, not ``user``, which
    names the acting user of a write.)"""
    user = with_tiers(viewer, parent_map(path))
    require(user, "county.read", county_id)
    view = county_view(county_inputs(path, county_id, period))
    full = {
        code
        for code, pid in zip(
            view.districts["district_code"], view.districts["partnership_id"], strict=True
        )  # fmt: skip
        if may(user, "board.read", int(pid))
    }
    if len(full) == len(view.districts):
        return view
    cells = view.cells
    published = published_for(path, county_id, sorted(set(cells["code"])),
                              sorted(set(cells["period"])))  # fmt: skip
    return redact(view, full, published)


def county_page(path, viewer: User | None, county_id: int, period: str):
    """Everything the County LAA page shows, in one call (the page caches it): the view as
    ``viewer`` may see it and its rows in words (:func:`analytics.county.present.view_rows`)."""
    from analytics.county.present import view_rows

    view = county_view_for(path, viewer, county_id, period)
    return view, view_rows(view)


def status_columns(path, partnership_id: int, statuses: pd.DataFrame) -> pd.DataFrame:
    """What ``lsp status`` adds to a partnership's statuses (one row per status row, by
    indicator_id): ``aggregation_rule`` (the partnership's own for a county; a district's
    county's for the same code), ``numerator`` and ``denominator`` where the rule uses them
    (a county: its districts' added up; a district: its return's), and, for a county,
    ``county_computed_value``: the figure made from its districts' for the row's period."""
    from analytics.county.aggregate import county_figures, district_parts, multiplier_of

    columns = ["indicator_id", "aggregation_rule", "numerator", "denominator",
               "county_computed_value"]  # fmt: skip
    if statuses.empty:
        return pd.DataFrame(columns=columns)
    pairs = statuses[["indicator_id", "code", "period"]].astype({"period": str})
    meta = _frame(
        path,
        """
        SELECT i.indicator_id, i.code, i.unit, i.ratio_multiplier,
               coalesce(i.aggregation_rule, county.aggregation_rule) AS aggregation_rule,
               county.ratio_multiplier AS county_multiplier,
               (SELECT count(*) FROM partnership d WHERE d.parent_id = p.partnership_id)
                   AS districts
        FROM indicator i JOIN partnership p ON p.partnership_id = i.partnership_id
        LEFT JOIN indicator county ON county.partnership_id = p.parent_id
             AND county.code = i.code
        WHERE i.partnership_id = $pid""",
        {"pid": int(partnership_id)},
    )
    out = pairs.merge(meta, on=["indicator_id", "code"], how="left")
    uses = out["aggregation_rule"].isin(["ratio", "rate_per_population"]).to_numpy()
    is_county = bool(len(meta) and int(meta["districts"].iloc[0]) > 0)
    if is_county:
        rules = meta[["code", "aggregation_rule"]].assign(
            multiplier=[multiplier_of(u, m) for u, m in
                        zip(meta["unit"], meta["ratio_multiplier"], strict=True)]
        )  # fmt: skip
        inputs = _district_inputs(path, partnership_id, sorted(set(out["code"])),
                                  sorted(set(out["period"])))  # fmt: skip
        parts = district_parts(rules, inputs["values"], inputs["districts"],
                               inputs["populations"], out[["code", "period"]])  # fmt: skip
        figures = county_figures(parts, rules)
        out = out.merge(figures[["code", "period", "county_computed_value", "numerator",
                                 "denominator"]], on=["code", "period"], how="left")  # fmt: skip
        out.loc[out["aggregation_rule"].isna() | out["aggregation_rule"].eq("county_only"),
                "county_computed_value"] = float("nan")  # fmt: skip
    else:
        own = _frame(
            path,
            """
            SELECT a.indicator_id, a.period, a.numerator_value AS numerator,
                   a.denominator_value AS denominator
            FROM actual a JOIN indicator i USING (indicator_id)
            WHERE i.partnership_id = $pid AND a.is_current""",
            {"pid": int(partnership_id)},
        )
        out = out.merge(own, on=["indicator_id", "period"], how="left")
        out["county_computed_value"] = float("nan")
    out.loc[~uses, ["numerator", "denominator"]] = float("nan")
    return out[columns]


def _district_inputs(path, county_id: int, codes: list[str], wanted: list[str]) -> dict:
    frames = _frame(
        path,
        """
        SELECT p.partnership_code AS district_code, i.code, a.period, a.actual_value,
               a.numerator_value, a.denominator_value
        FROM actual a JOIN indicator i USING (indicator_id)
        JOIN partnership p ON p.partnership_id = i.partnership_id
        WHERE p.parent_id = $cid AND a.is_current AND list_contains($codes, i.code)
          AND list_contains($periods, a.period)""",
        {"cid": county_id, "codes": codes, "periods": wanted},
    )
    districts = _frame(
        path,
        "SELECT partnership_code FROM partnership WHERE parent_id = $cid ORDER BY name",
        {"cid": county_id},
    )["partnership_code"].tolist()
    populations = _frame(
        path,
        "SELECT partnership_code AS district_code, financial_year, population FROM population"
        " WHERE list_contains($codes, partnership_code)",
        {"codes": districts},
    )
    return {"values": frames, "districts": districts, "populations": populations}
