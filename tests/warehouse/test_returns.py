"""Returns into the warehouse: commit, reload, correction, withdrawal, audit, tracker, and
the bad-files corpus through the real load path leaving the warehouse as it was."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import openpyxl
import pandas as pd
import pytest

from analytics.access import cli_user
from analytics.framework.read import read_framework
from analytics.framework.workbook import write_framework
from analytics.ingest.intake import intake_file
from analytics.ingest.read import ReadLimits
from analytics.messages import FileRejected
from analytics.warehouse import queries
from analytics.warehouse.connection import close_readers
from analytics.warehouse.load import import_framework
from analytics.warehouse.returns import (
    commit_returns,
    preview_returns,
    sha256_of,
    withdraw_return,
    write_template,
)
from tests.conftest import table_counts
from tests.ingest.conftest import corpus_module

ACTING = cli_user()  # the acting user of these writes (`lsp` on the server)

SAFER = "Communities that are safe and feel safe"
NEW_QUARTER = "2011/12 Q1"


def _pid(path) -> int:
    found = queries.partnerships(path)
    return int(found[found["indicators"] > 0]["partnership_id"].iloc[0])


def _own_layout(path, ni32: float, comment: str = "On track") -> object:
    """A return in a layout we did not design: title rows, our synonyms, no period column."""
    path.write_text(
        "Safer Communities Partnership\n"
        f"Performance return {NEW_QUARTER}\n\n"
        "PI code,Measure,Outturn,Comments,Corrective action\n"
        f"NI 32,Repeat incidents of domestic violence,{ni32},{comment},\n"
        'L-SC-02,Local measure,"1,234",Up on last quarter,\n'
    )
    return path


def _sql(path, sql: str, params=None) -> list[tuple]:
    close_readers()
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _ni32_history(path) -> list[tuple]:
    """NI 32's values for the new quarter, oldest first: (value, is current)."""
    return _sql(
        path,
        "SELECT a.actual_value, a.is_current FROM actual a JOIN indicator i USING"
        " (indicator_id) WHERE i.code = 'NI 32' AND a.period = ? ORDER BY a.actual_id",
        [NEW_QUARTER],
    )


def _intake(path, file, **options):
    return intake_file(file, queries.intake_context(path, _pid(path)), **options)


def test__commit__mapped_return_loads_keeps_file_and_audits(demo_copy, tmp_path):
    file = _own_layout(tmp_path / "safer_q1.csv", 14.5)
    intake = _intake(demo_copy, file)
    assert intake.ok, [m.format() for m in intake.errors]
    assert (intake.theme, intake.period, intake.layout) == (SAFER, NEW_QUARTER, "long")
    # accepted as loaded: the demo's Board sees only accepted figures, so the statuses show it
    [result] = commit_returns([intake], demo_copy, user=ACTING, accept=True)
    assert (result.rows_new, result.rows_changed, result.already_loaded) == (2, 0, False)
    stored = demo_copy.parent / "raw" / "2011-12" / "Q1"
    assert [p.name.endswith("_safer_q1.csv") for p in stored.iterdir()] == [True]
    rows = _sql(
        demo_copy,
        "SELECT i.code, a.actual_value FROM actual a JOIN indicator i USING (indicator_id)"
        " WHERE a.period = ? AND a.is_current ORDER BY 1",
        [NEW_QUARTER],
    )
    assert rows == [("L-SC-02", 1234.0), ("NI 32", 14.5)]
    [(actor, detail)] = _sql(
        demo_copy,
        "SELECT actor, detail FROM audit_log WHERE event = 'commit' AND entity_key = ?",
        ["safer_q1.csv"],
    )
    assert actor == ACTING.actor and actor.startswith("cli:")
    assert json.loads(detail)["new"] == 2
    statuses = _sql(
        demo_copy, "SELECT count(*) FROM indicator_status WHERE period = ?", [NEW_QUARTER]
    )
    assert statuses[0][0] > 0  # recomputed in the same transaction
    remembered = queries.intake_context(demo_copy, _pid(demo_copy)).mappings
    assert SAFER in remembered


def _one_status_per_indicator_and_period(path) -> bool:
    """indicator_status has no key index (migration 0004): store_statuses keeps it unique,
    and every indicator-period the engine judges is there."""
    [(rows, keys)] = _sql(
        path, "SELECT count(*), count(DISTINCT (indicator_id, period)) FROM indicator_status"
    )
    return rows == keys > 0


def test__commit__same_file_twice_changes_nothing(demo_copy, tmp_path):
    file = _own_layout(tmp_path / "safer_q1.csv", 14.5)
    commit_returns([_intake(demo_copy, file)], demo_copy, user=ACTING)
    before = table_counts(demo_copy)
    [again] = commit_returns([_intake(demo_copy, file)], demo_copy, user=ACTING)
    assert again.already_loaded
    assert table_counts(demo_copy) == before


def test__commit__correction_supersedes_keeps_history_and_withdraw_restores(demo_copy, tmp_path):
    first = _own_layout(tmp_path / "safer_q1.csv", 14.5)
    [one] = commit_returns([_intake(demo_copy, first)], demo_copy, user=ACTING)
    second = _own_layout(tmp_path / "safer_q1_corrected.csv", 13.0, "Corrected")
    preview = preview_returns([_intake(demo_copy, second)], demo_copy)
    changes = dict(zip(preview["indicator_code"], preview["change"], strict=True))
    assert changes == {"NI 32": "changed", "L-SC-02": "unchanged"}
    assert preview["status"].notna().all()
    [two] = commit_returns([_intake(demo_copy, second)], demo_copy, user=ACTING)
    assert two.superseded_id == one.return_id and two.rows_changed == 1
    history = _ni32_history(demo_copy)
    assert history == [(14.5, False), (13.0, True)]
    states = dict(_sql(demo_copy, "SELECT return_id, state FROM return_file"))
    assert (states[one.return_id], states[two.return_id]) == ("superseded", "loaded")

    with pytest.raises(FileRejected, match="only the return in force"):
        withdraw_return(one.return_id, demo_copy, user=ACTING)
    counts = withdraw_return(two.return_id, demo_copy, user=ACTING, reason="sent in error")
    assert counts["values_restored"] == 1
    history = _ni32_history(demo_copy)
    assert history == [(14.5, True), (13.0, False)]
    states = dict(_sql(demo_copy, "SELECT return_id, state FROM return_file"))
    assert (states[one.return_id], states[two.return_id]) == ("loaded", "withdrawn")
    [(detail,)] = _sql(demo_copy, "SELECT detail FROM audit_log WHERE event = 'withdraw'")
    assert json.loads(detail)["reason"] == "sent in error"
    assert _one_status_per_indicator_and_period(demo_copy)

    withdraw_return(one.return_id, demo_copy, user=ACTING)
    current = _sql(
        demo_copy, "SELECT count(*) FROM actual WHERE period = ? AND is_current", [NEW_QUARTER]
    )
    assert current == [(0,)]


def test__preview__shows_new_values_and_the_status_they_would_get(demo_copy, tmp_path):
    file = _own_layout(tmp_path / "safer_q1.csv", 14.5)
    before = table_counts(demo_copy)
    preview = preview_returns([_intake(demo_copy, file)], demo_copy)
    assert set(preview["change"]) == {"new"}
    assert set(preview["status"]) <= {"green", "amber", "red", "no_target"}
    assert table_counts(demo_copy) == before


def test__add_unknown__adds_a_data_only_indicator_and_the_target_from_the_return(
    demo_copy, tmp_path
):
    file = tmp_path / "safer.csv"
    file.write_text(
        f"Period,Ref,Indicator,Actual,Target\n{NEW_QUARTER},L-NEW-1,Street lights,5,6\n"
    )
    rejected = _intake(demo_copy, file, theme=SAFER)
    assert any("unknown indicator 'L-NEW-1'" in m.text for m in rejected.errors)
    intake = _intake(demo_copy, file, theme=SAFER, add_unknown=True)
    assert intake.ok
    [result] = commit_returns([intake], demo_copy, user=ACTING)
    assert (result.indicators_added, result.targets_added) == (1, 1)
    [(polarity, rule, provenance)] = _sql(
        demo_copy,
        "SELECT i.polarity, i.status_rule, t.provenance FROM indicator i JOIN target t"
        " USING (indicator_id) WHERE i.code = 'L-NEW-1'",
    )
    assert (polarity, rule, provenance) == ("none", "data_only", "from return")


def test__demo_returns__load_through_intake_into_a_fresh_framework(demo_warehouse, tmp_path):
    raw = demo_warehouse.parent / "raw" / "demo"
    fresh = tmp_path / "fresh.duckdb"
    import_framework(read_framework(raw / "framework.xlsx"), fresh, user=ACTING)
    context = queries.intake_context(fresh, _pid(fresh))
    files = sorted((raw / "returns").glob("*.xlsx"), key=lambda p: "first" not in p.name)
    intakes = [intake_file(f, context) for f in files]
    assert all(i.ok for i in intakes), [m.format() for i in intakes for m in i.errors]
    assert {i.source for i in intakes} == {"template"}
    commit_returns(intakes, fresh, user=ACTING)
    sql = (
        "SELECT i.code, a.period, a.actual_value, a.dq_flag FROM actual a JOIN indicator i"
        " USING (indicator_id) JOIN partnership p USING (partnership_id)"
        " WHERE a.is_current AND p.partnership_code = 'WVP' ORDER BY 1, 2"
    )  # the demo's county and its other districts have values of their own
    assert _sql(fresh, sql) == _sql(demo_warehouse, sql)


def test__template__rows_due_that_quarter_with_targets_and_history(demo_warehouse, tmp_path):
    pid = _pid(demo_warehouse)
    q2, _, _ = queries.template_rows(demo_warehouse, pid, SAFER, "2010/11 Q2")
    q4, history, _ = queries.template_rows(demo_warehouse, pid, SAFER, "2010/11 Q4")
    assert set(q2["period"]) == {"2010/11 Q2"}
    assert "NI 30" not in set(q2["code"]) and "NI 17" not in set(q2["code"])
    annual = q4.set_index("code")
    assert annual.at["NI 30", "period"] == "2010/11" and annual.at["NI 17", "period"] == "2010/11"
    assert history == ["2009/10 Q4", "2010/11 Q1", "2010/11 Q2", "2010/11 Q3"]
    assert q4["target_value"].notna().any() and q4["hist_4"].notna().any()
    biennial_off_year = queries.template_rows(demo_warehouse, pid, SAFER, "2009/10 Q4")[0]
    assert "NI 17" not in set(biennial_off_year["code"])
    out = write_template(pid, SAFER, "2010/11 Q4", tmp_path / "t.xlsx", demo_warehouse)
    blank = intake_file(out, queries.intake_context(demo_warehouse, pid))
    assert [m.text for m in blank.errors] == [
        f"the return has no values: every value cell is blank ({len(q4)} rows), so loading it "
        "would replace the return in force with nothing"
    ]  # an untouched template is not a return (issue 18)
    book = openpyxl.load_workbook(out)
    book["Return"].cell(5, 11, 1.0)  # one value filled in
    book.save(out)
    intake = intake_file(out, queries.intake_context(demo_warehouse, pid))
    assert intake.ok and intake.source == "template" and len(intake.values) == len(q4)


def test__tracker__returned_late_overdue_and_missing_indicators(demo_copy, tmp_path):
    pid = _pid(demo_copy)
    tracker = queries.submission_tracker(demo_copy, pid, "2010/11 Q4", today=date(2011, 6, 1))
    health = tracker.set_index("theme").loc["Improving health and well-being"]
    assert not health["returned"] and health["submission"] == "overdue"
    assert health["indicators_missing"] == health["indicators_due"] > 0
    file = _own_layout(tmp_path / "safer_q1.csv", 14.5)
    # due 20 working days after 30 June 2011: Thursday 28 July
    intake = _intake(demo_copy, file)
    commit_returns([intake], demo_copy, received_on=date(2011, 7, 27), user=ACTING)
    tracker = queries.submission_tracker(demo_copy, pid, NEW_QUARTER, today=date(2011, 7, 28))
    safer = tracker.set_index("theme").loc[SAFER]
    assert safer["returned"] and safer["submission"] == "on time"
    assert safer["due_date"] == date(2011, 7, 28) and safer["review_state"] == "submitted"
    assert 0 < safer["indicators_missing"] < safer["indicators_due"]
    others = tracker[tracker["theme"] != SAFER]
    assert set(others["submission"]) == {"not yet due"}
    late = queries.submission_tracker(demo_copy, pid, NEW_QUARTER, 15, today=date(2011, 9, 1))
    assert late.set_index("theme").at[SAFER, "submission"] == "late"  # due 21 July


# --- the bad-files corpus through the real load path ------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return corpus_module.make_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def corpus_warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus_wh")
    path = folder / "warehouse.duckdb"
    framework = write_framework(
        folder / "framework.xlsx",
        {
            "Partnership": pd.DataFrame(
                [{"partnership_code": "SCP", "name": "Safer LSP", "tier": "district"}]
            ),
            "Themes": pd.DataFrame([{"theme": "Safer"}]),
            "Indicators": pd.DataFrame(
                [
                    {"code": "NI 1", "theme": "Safer", "unit": "%"},
                    {"code": "NI 4", "theme": "Safer", "unit": "%"},
                    {"code": "NI 20", "theme": "Safer"},
                    {
                        "code": "LOC 7",
                        "title": "Affordable homes delivered",
                        "theme": "Safer",
                        "polarity": "higher",
                        "measure_type": "cumulative",
                    },
                ]
            ),  # fmt: skip
        },
    )
    import_framework(read_framework(framework), path, user=ACTING)
    return path


REJECTED = [c for c in corpus_module.CASES if c.expected and c.severity == "error"]


@pytest.mark.parametrize("case", REJECTED, ids=[c.name for c in REJECTED])
def test__corpus__rejected_file_leaves_the_warehouse_unchanged(case, corpus, corpus_warehouse):
    options = dict(case.options)
    context = queries.intake_context(corpus_warehouse, _pid(corpus_warehouse))
    context.today = options.pop("today", corpus_module.TODAY)
    period = options.pop("return_period", corpus_module.RETURN_PERIOD)
    max_rows = options.pop("limits_max_rows", None)
    limits = ReadLimits(max_rows=max_rows) if max_rows else ReadLimits()
    before = table_counts(corpus_warehouse)
    intake = intake_file(corpus[case.name], context, period=period, limits=limits)
    assert not intake.ok
    assert any(case.expected in m.text for m in intake.messages), [
        m.format() for m in intake.messages
    ]
    with pytest.raises(FileRejected):
        commit_returns([intake], corpus_warehouse, user=ACTING)
    assert table_counts(corpus_warehouse) == before
    assert not (corpus_warehouse.parent / "raw").exists()


def _with_counts(path, numerator: str, denominator: str, value: str = "25.0") -> object:
    """A mapped return giving a value with its numerator and denominator."""
    path.write_text(
        f"Performance return {NEW_QUARTER}\n\n"
        "PI code,Measure,Outturn,Numerator,Denominator,Comments\n"
        f"NI 32,Repeat incidents of domestic violence,{value},{numerator},{denominator},Ok\n"
    )
    return path


def test__commit__numerator_and_denominator_are_kept_with_the_value(demo_copy, tmp_path):
    intake = _intake(demo_copy, _with_counts(tmp_path / "counts.csv", "50", "200"))
    assert intake.ok, [m.format() for m in intake.errors]
    commit_returns([intake], demo_copy, user=ACTING)
    rows = _sql(
        demo_copy,
        "SELECT a.actual_value, a.numerator_value, a.denominator_value FROM actual a"
        " JOIN indicator i USING (indicator_id) WHERE i.code = 'NI 32' AND a.period = ?"
        " AND a.is_current",
        [NEW_QUARTER],
    )
    assert rows == [(25.0, 50.0, 200.0)]


def test__intake__a_numerator_larger_than_its_denominator_is_an_error_on_its_cell(
    demo_copy, tmp_path
):
    intake = _intake(demo_copy, _with_counts(tmp_path / "bad.csv", "300", "200"))
    [error] = [m for m in intake.errors if "numerator" in m.text]
    assert (error.file, error.sheet, error.cell) == ("bad.csv", "bad", "D4")
    assert "larger than the denominator" in error.text
    text = _intake(demo_copy, _with_counts(tmp_path / "text.csv", "about 50", "200"))
    assert any(m.cell == "D4" and "text where a number belongs" in m.text for m in text.errors)
    odd = _intake(demo_copy, _with_counts(tmp_path / "odd.csv", "50", "200", value="40.0"))
    assert odd.ok and any("not the numerator over the denominator" in m.text
                          for m in odd.messages)  # fmt: skip


def test__template__numerator_and_denominator_cells_for_percentages_and_rates(
    demo_warehouse, tmp_path
):
    from analytics.ingest.template import COL

    pid = _pid(demo_warehouse)
    rows = queries.template_rows(demo_warehouse, pid, SAFER, "2010/11 Q4")[0]
    assert rows["takes_ratio"].any() and not rows["takes_ratio"].all()
    out = write_template(pid, SAFER, "2010/11 Q4", tmp_path / "t.xlsx", demo_warehouse)
    book = openpyxl.load_workbook(out)
    sheet = book["Return"]
    num_col, den_col = COL["numerator"] + 1, COL["denominator"] + 1
    assert (sheet.cell(4, num_col).value, sheet.cell(4, den_col).value) == (
        "numerator",
        "denominator",
    )
    ratio_row = 5 + int(rows.index[rows["takes_ratio"]][0])
    count_row = 5 + int(rows.index[~rows["takes_ratio"]][0])
    assert not sheet.cell(ratio_row, num_col).protection.locked
    assert sheet.cell(count_row, num_col).protection.locked  # a count takes no ratio
    code = sheet.cell(ratio_row, 1).value
    sheet.cell(ratio_row, COL["value"] + 1, 25.0)
    sheet.cell(ratio_row, num_col, 50)
    sheet.cell(ratio_row, den_col, 200)
    book.save(out)
    intake = intake_file(out, queries.intake_context(demo_warehouse, pid))
    assert intake.ok, [m.format() for m in intake.errors]
    [row] = intake.values[intake.values["indicator_code"] == code].to_dict("records")
    assert (row["numerator_value"], row["denominator_value"]) == (50.0, 200.0)

    sheet.delete_cols(num_col, 2)  # a template sent before these columns still loads
    book.save(out)
    older = intake_file(out, queries.intake_context(demo_warehouse, pid))
    assert older.ok and older.values["numerator_value"].isna().all()


def test__commit__a_quarter_together_stores_what_one_by_one_stores(demo_warehouse, tmp_path):
    """A quarter's returns share no indicator and period, so one commit compares them all
    with the values held before it and writes their values together: the warehouse ends as
    it does when each is committed on its own."""
    raw = demo_warehouse.parent / "raw" / "demo"
    files = sorted((raw / "returns").glob("*.xlsx"))
    last = max(f.name[:10] for f in files)
    earlier = [f for f in files if f.name[:10] < last]
    quarter = [f for f in files if f.name[:10] == last]
    assert len(quarter) > 1
    ends = []
    for name, together in (("together", True), ("apart", False)):
        path = tmp_path / f"{name}.duckdb"
        import_framework(read_framework(raw / "framework.xlsx"), path, user=ACTING)
        context = queries.intake_context(path, _pid(path))
        commit_returns([intake_file(f, context) for f in earlier], path, user=ACTING)
        context = queries.intake_context(path, _pid(path))
        intakes = [intake_file(f, context) for f in quarter]
        if together:
            results = commit_returns(intakes, path, user=ACTING)
        else:
            results = [commit_returns([i], path, user=ACTING)[0] for i in intakes]
        counts = [(r.file_name, r.rows_new, r.rows_changed, r.rows_unchanged) for r in results]
        rows = _sql(
            path,
            "SELECT i.code, a.period, a.actual_value, a.dq_flag, a.commentary, a.is_current,"
            " r.file_name FROM actual a JOIN indicator i USING (indicator_id)"
            " JOIN return_file r USING (return_id) ORDER BY 1, 2, 7",
        )
        statuses = _sql(
            path,
            "SELECT i.code, s.period, s.rag_status FROM indicator_status s"
            " JOIN indicator i USING (indicator_id) ORDER BY 1, 2",
        )
        audited = _sql(  # one entry a return, in the order the files were given
            path,
            "SELECT entity_key, detail FROM audit_log WHERE event = 'commit' ORDER BY audit_id",
        )
        audited = [(key, json.loads(d)["new"], json.loads(d)["changed"]) for key, d in audited]
        ends.append((counts, rows, statuses, audited))
    assert ends[0] == ends[1]
    assert [key for key, _, _ in ends[0][3][-len(quarter) :]] == [f.name for f in quarter]
    assert sum(n for _, n, _, _ in ends[0][0]) > 0


def test__commit__a_return_and_its_correction_together_the_correction_wins(demo_copy, tmp_path):
    """Two returns for the same indicator and period in one commit are written in turn: the
    second compares with the first and supersedes it."""
    first = _own_layout(tmp_path / "safer_q1.csv", 14.5)
    second = _own_layout(tmp_path / "safer_q1_corrected.csv", 13.0, "Corrected")
    one, two = commit_returns(
        [_intake(demo_copy, first), _intake(demo_copy, second)], demo_copy, user=ACTING
    )
    assert (one.rows_new, two.rows_changed, two.rows_unchanged) == (2, 1, 1)
    assert two.superseded_id == one.return_id
    history = _ni32_history(demo_copy)
    assert history == [(14.5, False), (13.0, True)]
    assert _one_status_per_indicator_and_period(demo_copy)


def test__commit__the_same_file_twice_in_one_commit_loads_once(demo_copy, tmp_path):
    """A commit checks its files against the returns it has just added as well as those
    held: the second copy of a file is already loaded, by the first's return, and audited
    once."""
    file = _own_layout(tmp_path / "safer_q1.csv", 14.5)
    before = _sql(demo_copy, "SELECT count(*) FROM audit_log WHERE event = 'commit'")[0][0]
    one, two = commit_returns(
        [_intake(demo_copy, file), _intake(demo_copy, file)], demo_copy, user=ACTING
    )
    assert (one.already_loaded, two.already_loaded) == (False, True)
    assert two.return_id == one.return_id
    assert _sql(demo_copy, "SELECT count(*) FROM return_file WHERE sha256 = ?",
                [sha256_of(file)]) == [(1,)]  # fmt: skip
    after = _sql(demo_copy, "SELECT count(*) FROM audit_log WHERE event = 'commit'")[0][0]
    assert after == before + 1
