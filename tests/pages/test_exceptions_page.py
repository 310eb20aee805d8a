"""AppTest: the by-exception report and its filters."""

from ui.components import md_escape


def exception_table(at):
    """The Full table tab's table (built only while that tab is open), then back to the
    Report tab as the page opens."""
    at.session_state["ex_tab"] = "Full table"
    at.run()
    table = at.dataframe[0].value
    at.session_state["ex_tab"] = "Report"
    at.run()
    return table


def test__exceptions__only_the_tab_in_view_is_built_and_sent(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/exceptions.py")
    assert not at.exception
    assert not at.dataframe  # the Report tab: blocks, no table
    assert any("-badge[" in m.value for m in at.markdown)
    at.session_state["ex_tab"] = "Full table"
    at.run()
    assert not at.exception
    assert len(at.dataframe) == 1
    assert not any("-badge[" in m.value for m in at.markdown)  # no blocks


def test__exceptions__only_amber_red_and_missing_with_report_columns(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/exceptions.py")
    assert not at.exception
    table = exception_table(at)
    statuses = set(table["Status"])
    assert statuses <= {"✖ Red", "◆ Amber", "? Missing"}
    for column in (
        "Theme",
        "Code",
        "LAA",
        "Indicator",
        "Lead",
        "Baseline",
        "Target (period)",
        "Actual (period)",
        "Year to date",
        "Annual target",
        "Why",
        "vs last period",
        "vs last year",
        "Periods off target",
        "County",
        "England",
        "Commentary",
        "Remedial action",
        "Data quality",
    ):
        assert column in table.columns, column
    assert any(e.label.startswith("Communities that are safe") for e in at.expander)


def test__exceptions__filters_for_theme_laa_and_status(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/exceptions.py")
    everything = len(exception_table(at))
    at.toggle(key="ex_laa").set_value(True).run()
    laa = exception_table(at)
    assert 0 < len(laa) < everything
    assert set(laa["LAA"]) <= {"LAA", "LAA statutory", "LAA reward"}
    at.multiselect(key="ex_status").set_value(["red"]).run()
    assert set(exception_table(at)["Status"]) == {"✖ Red"}
    at.multiselect(key="ex_themes").set_value(["Stronger communities"]).run()
    assert not at.exception
    assert set(exception_table(at)["Theme"]) == {"Stronger communities"}


def test__exceptions__offers_the_board_pack_in_three_formats(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/exceptions.py")
    buttons = at.get("download_button")
    assert len(buttons) == 3
    assert [b.proto.label for b in buttons] == [
        "Excel workbook",
        "Word appendix",
        "Web page with charts",
    ]


def exception_links(at):
    return [p.proto for p in at.get("page_link") if "indicator=" in p.proto.query_string]


def test__exceptions__reads_as_a_report_a_block_per_exception_with_the_why_in_full(
    app, demo_warehouse
):
    at = app(demo_warehouse, page="pages/exceptions.py")
    assert not at.exception
    assert [t.label for t in at.tabs] == ["Report", "Full table"]  # the table one click away
    table = exception_table(at)
    # each exception: a heading with code and title, under a heading per theme group
    titles = [h.value for h in at.subheader]
    for code, title in zip(table["Code"], table["Indicator"], strict=True):
        assert any(t.startswith(f"{code}: {title}") for t in titles), code
    themes = [h.value for h in at.header]
    first_theme = table["Theme"].iloc[0]
    assert themes[0] == f"{first_theme} ({(table['Theme'] == first_theme).sum()})"
    # status with its reason, as a badge (word and symbol) then the reason
    markdown = [m.value for m in at.markdown]
    for status, why in zip(table["Status"], table["Why"], strict=True):
        line = f"-badge[{status}] {md_escape(why)}"
        assert any(m.startswith(":") and m.endswith(line) for m in markdown), why
    # commentary and remedial action in full, as plain text (never cut, never parsed)
    texts = [t.value for t in at.text]
    assert len(texts) == 2 * len(table)
    given = [c or "None given." for c in table["Commentary"]]
    assert texts[0::2] == given
    assert texts[1::2] == [r or "None given." for r in table["Remedial action"]]
    # actual against target, direction and persistence: a small table in each block
    figures = [m for m in markdown if m.startswith("| Actual, ")]
    assert len(figures) == len(table)
    for (_, row), figure in zip(table.iterrows(), figures, strict=True):
        head, rule, cells = figure.split("\n")
        assert head == (f"| Actual, {md_escape(row['Period'])} | Target | Direction of travel "
                        "| Off target for |")  # fmt: skip
        assert rule == "|---|---|---|---|"
        actual, target, direction, off = cells.strip("| ").split(" | ")
        assert actual.startswith(md_escape(row["Actual (period)"]))
        assert target.startswith(md_escape(row["Target (period)"]))
        assert direction.endswith("the same period last year")
        assert off.split()[0] == str(int(row["Periods off target"]))
    # and every exception opens its indicator by a link (reachable by keyboard)
    links = exception_links(at)
    assert [link.label.split(":")[0] for link in links] == [f"Open {c}" for c in table["Code"]]


def test__exceptions__blocks_follow_the_filters(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/exceptions.py")
    at.multiselect(key="ex_status").set_value(["red"]).run()
    assert not at.exception
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert badges and all("-badge[✖ Red]" in b for b in badges)
    assert len(exception_links(at)) == len(exception_table(at)) == len(badges)
    at.multiselect(key="ex_themes").set_value(["Stronger communities"]).run()
    assert [h.value.split(" (")[0] for h in at.header] == ["Stronger communities"]


def test__exceptions__commentary_in_markdown_syntax_shows_as_typed(app, demo_copy):
    from analytics.warehouse.connection import writer

    with writer(demo_copy) as con:  # as if a return had said so
        con.execute("UPDATE actual SET commentary = ? WHERE is_current",
                    ["**Up** $5 [link](http://x) :red[no]"])  # fmt: skip
    at = app(demo_copy, page="pages/exceptions.py")
    assert not at.exception
    assert "**Up** $5 [link](http://x) :red[no]" in [t.value for t in at.text]


def test__exceptions__each_says_whether_it_is_real_and_early_warnings_listed(app, demo_copy):
    import duckdb

    at = app(demo_copy, page="pages/exceptions.py")
    assert not at.exception
    table = exception_table(at)
    assert {"Is it real?", "Variation", "Assurance", "SPC reading"} <= set(table.columns)
    noise = table[table["Is it real?"].str.startswith("Noise")]
    assert len(noise) and (noise["Assurance"] == "? Hit and miss: the target is within normal "
                           "variation").all()  # fmt: skip
    assert any(m.value.startswith("**Is it real?**") for m in at.markdown)
    assert any(s.value.startswith("Early warnings") for s in at.subheader)
    # a green indicator whose latest point is a special cause of concern is an early warning
    con = duckdb.connect(str(demo_copy))
    period = con.execute("SELECT max(period) FROM actual WHERE period LIKE '%Q_'").fetchone()[0]
    con.execute(
        "UPDATE indicator_status SET spc_variation = 'concern_high', spc_point = 'trend',"
        " spc_reason = 'Worse than usual: rising for 7 quarters in a row, a real change, not"
        " noise.' WHERE rag_status = 'green' AND period = ? AND indicator_id = (SELECT"
        " min(indicator_id) FROM indicator_status WHERE rag_status = 'green' AND period = ?)",
        [period, period],
    )
    con.close()
    at = app(demo_copy, page="pages/exceptions.py")
    assert not at.exception
    warnings = next(d.value for d in at.dataframe if "SPC reading" in d.value.columns
                    and (d.value["Status"] == "✔ Green").all() and len(d.value))  # fmt: skip
    assert warnings["Is it real?"].iloc[0].startswith("Real: a special cause of concern")
    assert "⇑ Special cause concerning: higher" in warnings["Variation"].iloc[0]
