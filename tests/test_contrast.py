"""WCAG 2.2 contrast of every colour pair the app and the exports draw text in.

Computed here from the WCAG definition of relative luminance, so a change of palette that
makes any pair unreadable fails a test instead of a Board member."""

import tomllib
from pathlib import Path

import pytest

from analytics import labels
from analytics import vocabulary as V

ROOT = Path(__file__).resolve().parents[1]
AA_TEXT = 4.5  # WCAG 1.4.3, normal-size text


def luminance(colour: str) -> float:
    rgb = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test__contrast__formula_matches_known_pairs():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#FFFFFF", "#009E73") == pytest.approx(3.42, abs=0.01)  # the old failure


@pytest.mark.parametrize("status", list(labels.STATUS))
def test__contrast__status_text_on_status_fill_meets_aa(status):
    ratio = contrast(labels.STATUS_TEXT_COLOUR[status], labels.STATUS_COLOUR[status])
    assert ratio >= AA_TEXT, f"{status}: {ratio:.2f}:1"


@pytest.mark.parametrize("status", list(labels.ACTION_STATUS))
def test__contrast__action_text_on_action_fill_meets_aa(status):
    ratio = contrast(labels.ACTION_TEXT_COLOUR[status], labels.ACTION_COLOUR[status])
    assert ratio >= AA_TEXT, f"{status}: {ratio:.2f}:1"


COLOURED = [
    (name, row.code, row.colour)
    for name, table in (
        ("status", V.STATUS_TABLE),
        ("action", V.ACTION_STATUS_TABLE),
        ("response", V.RESPONSE_TABLE),
        ("recommendation", V.RECOMMENDATION_RAG_TABLE),
    )
    for row in table
    if row.colour is not None
]


@pytest.mark.parametrize(("table", "code", "colour"), COLOURED)
def test__contrast__every_vocabulary_fill_has_text_that_meets_aa(table, code, colour):
    ratio = contrast(colour.ink, colour.fill)
    assert ratio >= AA_TEXT, f"{table} {code}: {ratio:.2f}:1"


def test__contrast__status_fills_keep_the_okabe_ito_hues():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    for status in ("green", "amber", "red", "no_target"):
        assert labels.STATUS_COLOUR[status] in okabe_ito


def theme() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]


def test__contrast__theme_text_colours_on_their_backgrounds():
    t = theme()
    white, sidebar = "#FFFFFF", "#F0F2F6"  # Streamlit's light backgrounds
    for name in ("textColor", "codeTextColor", "linkColor"):
        if name in t:
            assert contrast(t[name], white) >= AA_TEXT, name
    # captions and help text are drawn as a 60% tint of the text colour (the default
    # text colour gave 3.9:1): mix it with each background and check the result
    for background in (white, sidebar):
        assert contrast(mix(t["textColor"], background, 0.6), background) >= AA_TEXT
        assert contrast(mix(t["codeTextColor"], background, 0.6), background) >= AA_TEXT


def test__contrast__badge_text_colours_on_their_tints():
    t = theme()
    for hue in ("red", "orange", "green", "blue", "gray", "violet"):
        # a badge is the text colour on a 10% tint of the colour over white
        tint = mix(t[f"{hue}Color"], "#FFFFFF", 0.1)
        assert contrast(t[f"{hue}TextColor"], tint) >= AA_TEXT, hue


def mix(colour: str, background: str, alpha: float) -> str:
    a = [int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    b = [int(background.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(
        f"{round(alpha * x + (1 - alpha) * y):02X}" for x, y in zip(a, b, strict=True)
    )
