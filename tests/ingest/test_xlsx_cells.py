"""Cell facts read from the sheet XML: formulas with no saved result."""

from __future__ import annotations

from analytics.ingest.xlsx_cells import _uncalculated_cells


def test__uncalculated__formulas_without_a_value_only():
    xml = (
        '<sheetData><row r="2"><c r="B2"><f>A2*2</f><v></v></c>'  # written by a program
        '<c r="C2"><f>A2+1</f><v>4</v></c>'  # calculated and saved
        '<c r="D2" t="str"><f>"x"</f></c>'  # no <v> at all
        '<c r="E2"><f t="shared" si="0"/><v/></c>'  # shared formula, empty value
        '<c r="F2"><f t="shared" si="0"/><v>7</v></c>'
        '<c r="G2"><v>3</v></c></row></sheetData>'
    )
    assert _uncalculated_cells(xml) == {(1, 1), (1, 3), (1, 4)}


def test__uncalculated__namespaced_xml():
    xml = '<x:sheetData><x:row><x:c r="AA10"><x:f>1+1</x:f></x:c></x:row></x:sheetData>'
    assert _uncalculated_cells(xml) == {(9, 26)}
