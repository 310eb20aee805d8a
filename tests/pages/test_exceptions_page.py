"""AppTest: the by-exception report and its filters."""


def exception_table(at):
    return at.dataframe[0].value


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
