"""Charts: each defined once, then drawn in every medium it appears in (no Streamlit, no I/O).

- :mod:`analytics.charts.spec`: the charts as Vega-Lite specs (a trend, status by theme
  group, a theme's small multiples). The pages hand them to ``st.vega_lite_chart``.
- :mod:`analytics.charts.svg`: the static renderer, the same spec drawn as SVG in Python
  for the HTML packs, Word's images and the public site (no browser, no JavaScript).
- :mod:`analytics.charts.text`: the charts in words, a sentence and a table for each, so a
  reader who cannot see a chart gets the same facts.

The public site's adapter (its published items to the trend's columns, and the SVG as one
accessible image) is :mod:`analytics.site.charts`.

The specs' functions are named here too: ``charts.trend(values)``, ``charts.to_svg(spec)``.
"""

from analytics.charts.spec import (
    ACTUAL_COLOUR,
    COMPARATOR_COLOUR,
    CROSS_X,
    SHAPES,
    TARGET_COLOUR,
    card,
    small_multiples,
    status_by_theme,
    to_png,
    to_svg,
    trend,
    trend_description,
    trend_svg,
)

__all__ = [
    "ACTUAL_COLOUR",
    "COMPARATOR_COLOUR",
    "CROSS_X",
    "SHAPES",
    "TARGET_COLOUR",
    "card",
    "small_multiples",
    "status_by_theme",
    "to_png",
    "to_svg",
    "trend",
    "trend_description",
    "trend_svg",
]
