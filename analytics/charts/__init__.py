"""Charts: each defined once, then drawn in every medium it appears in (no Streamlit, no I/O).

- :mod:`analytics.charts.spec`: the charts as specs in Vega-Lite's vocabulary of data and
  encodings (a trend with its statistical process control layers, an XmR chart of a
  cumulative indicator's quarterly increments, status by theme group, a theme's small
  multiples): the one definition of each chart.
- :mod:`analytics.charts.figure`: a spec as a plotly figure, for the pages (drawn by
  plotly.js in the browser, ``ui.plotly_component``): hover labels and legends in words.
- :mod:`analytics.charts.svg`: the static renderer, the same spec drawn as SVG in Python
  for the HTML packs, Word's images (PNG through resvg) and the public site (no browser,
  no JavaScript, no plotly).
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
    process_chart,
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
    "process_chart",
    "small_multiples",
    "status_by_theme",
    "to_png",
    "to_svg",
    "trend",
    "trend_description",
    "trend_svg",
]
