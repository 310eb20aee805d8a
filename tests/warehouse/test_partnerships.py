"""The one partnership lookup (analytics/warehouse/partnerships.py): a code or a name in any
case, or the start of a name; not found and ambiguous said with the codes to choose from."""

import pytest

from analytics.warehouse.partnerships import (
    Partnership,
    PartnershipError,
    find_partnership,
    match,
    some_codes,
)

VALE = Partnership(1, "WVP", "Wyvern Vale Partnership")
SHIRE = Partnership(2, "WYS", "Wyvernshire Partnership")
OTHER = Partnership(3, "NTH", "Northwick Partnership")
ALL = [VALE, SHIRE, OTHER]


def test__cli__some_codes_lists_ten_sorted_and_says_how_to_list_all():
    assert some_codes(["B", "A"]) == "A, B"
    codes = [f"P{n:02d}" for n in range(25, 0, -1)]
    text = some_codes(codes)
    assert text.startswith("P01, P02, P03") and "P10 and 15 more" in text
    assert "P11" not in text and "`lsp partnerships` lists them all" in text


@pytest.mark.parametrize(
    "text",
    ["WVP", "wvp", " Wvp ", "Wyvern Vale Partnership", "wyvern VALE  partnership", "Wyvern V"],
)
def test__match__a_code_or_a_name_in_any_case_or_the_start_of_a_name(text):
    assert match(ALL, text) == VALE


def test__match__a_code_wins_over_the_start_of_another_name():
    north = Partnership(4, "WYVERN", "Northern Wyvern")
    assert match([*ALL, north], "wyvern") == north


@pytest.mark.parametrize("text", ["Wyvern", "wyv", "W"])
def test__match__a_start_several_names_share_is_ambiguous_and_lists_their_codes(text):
    with pytest.raises(PartnershipError) as raised:
        match(ALL, text)
    assert raised.value.ambiguous and raised.value.candidates == ("WVP", "WYS")
    assert (
        str(raised.value) == f"{text!r} could be any of 2 partnerships (WVP, WYS): give its code."
    )


def test__match__two_partnerships_of_one_name_are_ambiguous():
    twin = Partnership(5, "WVP2", "Wyvern Vale Partnership")
    with pytest.raises(PartnershipError, match=r"any of 2 partnerships \(WVP, WVP2\)"):
        match([*ALL, twin], "wyvern vale partnership")
    assert match([*ALL, twin], "wvp2") == twin


def test__match__codes_differing_only_in_case_take_the_one_spelt_as_given():
    lower = Partnership(6, "wvp", "Lower")
    assert match([*ALL, lower], "wvp") == lower and match([*ALL, lower], "WVP") == VALE
    with pytest.raises(PartnershipError, match="any of 2"):
        match([*ALL, lower], "Wvp")


@pytest.mark.parametrize("text", ["Nowhere", "Vale", "", "   "])
def test__match__not_found_lists_the_codes_there_are(text):
    with pytest.raises(PartnershipError) as raised:
        match(ALL, text)
    assert not raised.value.ambiguous
    if text.strip():
        assert str(raised.value) == (
            f"There is no partnership called {text!r} (by code or name); the codes are: NTH, WVP, "
            "WYS."
        )


def test__match__not_found_lists_at_most_ten_codes():
    many = [Partnership(n, f"P{n:02d}", f"P {n}") for n in range(1, 13)]
    with pytest.raises(PartnershipError) as raised:
        match(many, "Nowhere")
    assert "P10 and 2 more (`lsp partnerships` lists them all)" in str(raised.value)
    assert "P11" not in str(raised.value)


def test__find_partnership__reads_the_warehouse(demo_warehouse):
    found = find_partnership(demo_warehouse, "wyvern vale partnership")
    assert (found.code, found.name) == ("WVP", "Wyvern Vale Partnership")
    assert str(found) == "Wyvern Vale Partnership (WVP)"
    with pytest.raises(PartnershipError, match=r"'wyvern' could be any of 2 partnerships"):
        find_partnership(demo_warehouse, "wyvern")
