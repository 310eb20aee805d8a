"""The county LAA pack as its readers get it: every district's cell with the marks the page
shows (a rate given without its events is marked as worked out), and a district's reader
gets the other districts' published figures only, never their unpublished values, numerators
or gaps."""

from __future__ import annotations

import io

import openpyxl

from analytics.access import Grant, User
from analytics.reports.county import county_pack_data, render
from tests.county.build import Q2, pid_of


def _districts_sheet(path, user=None) -> dict[tuple[str, str], dict]:
    pack = county_pack_data(path, pid_of(path, "TSC"), Q2, user)
    book = openpyxl.load_workbook(io.BytesIO(render(pack, "xlsx")))
    rows = list(book["Districts"].iter_rows(values_only=True))
    header = rows[0]
    return {(r[0], r[2]): dict(zip(header, r, strict=True)) for r in rows[1:]}


def test__county_pack__a_rate_without_its_events_is_marked_as_worked_out(county_warehouse):
    cells = _districts_sheet(county_warehouse)
    bexmoor = cells[("NI 16", "Bexmoor Partnership")]  # gave rates only
    assert "Events worked out from the rate and the population" in bexmoor["Marks"]
    assert bexmoor["Numerator"] == 7.5 * 20_000 / 1000  # the rate times its population
    ayford = cells[("NI 16", "Ayford Partnership")]
    assert not ayford["Marks"] and ayford["Numerator"] == 190
    assert "County figure (measured at county level)" in cells[("NI 1", "Calder Partnership")][
        "Marks"]  # fmt: skip


def test__county_pack__a_district_reader_gets_the_others_published_figures_only(
    county_warehouse,
):
    reader = User("officer@ayf.example", "Ayford officer",
                  (Grant("officer", pid_of(county_warehouse, "AYF")),))  # fmt: skip
    cells = _districts_sheet(county_warehouse, reader)
    own = cells[("NI 192", "Ayford Partnership")]
    assert own["Value"] == 30.0 and own["Numerator"] == 300
    other = cells[("NI 192", "Bexmoor Partnership")]  # nothing of Bexmoor's is published
    assert other["Value"] is None and other["Numerator"] is None
    assert other["Share of the gap"] is None and other["Status"] is None
    assert "Not published yet" in other["Marks"]
