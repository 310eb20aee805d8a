"""AppTest: the Framework page over the demo warehouse."""


def dataframes(at):
    return [df.value for df in at.dataframe]


def test__framework__opens_on_the_demo_with_metrics_and_indicator_table(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/framework.py")
    assert not at.exception
    assert at.title[0].value == "Framework"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Theme groups"] == "6"
    assert int(metrics["Indicators"]) >= 40
    table = dataframes(at)[0]
    assert {"Code", "Title", "Theme", "Polarity", "Target 2009/10"} <= set(table.columns)
    assert "▲ higher is better" in set(table["Polarity"])
    assert at.sidebar.selectbox[0].value is not None  # partnership
    assert at.sidebar.selectbox[1].value == "2010/11 Q4"  # latest quarter in view


def test__framework__search_and_laa_filter_narrow_the_table(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/framework.py")
    at.text_input(key="fw_search").input("NI 191").run()
    assert not at.exception
    table = dataframes(at)[0]
    assert table["Code"].tolist() == ["NI 191"]
    assert table["Target 2010/11"].iloc[0].endswith("kg per household")
    at.text_input(key="fw_search").input("").run()
    at.toggle(key="fw_laa").set_value(True).run()
    table = dataframes(at)[0]
    assert not table["LAA"].eq("Local").any()


def test__framework__theme_filter_and_target_versions(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/framework.py")
    at.multiselect(key="fw_themes").select("Stronger communities").run()
    table = dataframes(at)[0]
    assert set(table["Theme"]) == {"Stronger communities"}
    at.selectbox(key="fw_target_code").select("NI 152").run()
    assert not at.exception
    versions = dataframes(at)[2]
    assert versions["version"].max() == 2
    assert versions["reason"].str.contains("recession").any()


def test__framework__catalogue_shows_the_national_indicator_set(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/framework.py")
    catalogue = dataframes(at)[-1]
    assert len(catalogue) == 198
    at.radio(key="cat_adopted").set_value("adopted").run()
    adopted = dataframes(at)[-1]
    assert 25 <= len(adopted) < 60
    at.text_input(key="cat_search").input("household waste").run()
    assert set(dataframes(at)[-1]["code"]) <= {"NI 191", "NI 192", "NI 193"}


def test__app__without_a_warehouse_says_how_to_make_one(app, tmp_path):
    at = app(tmp_path / "none.duckdb")
    assert not at.exception
    assert "lsp init" in at.error[0].value


def test__app__empty_warehouse_explains_the_framework_workbook(app, empty_warehouse):
    at = app(empty_warehouse)
    assert not at.exception
    assert "lsp framework template" in at.info[0].value
