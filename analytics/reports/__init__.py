"""Reports: one package per report, each gathering its data once, then laid out as a
:class:`~analytics.reports.document.Document` that the shared writers render.

- ``board/``: the Board pack for a quarter;
- ``scrutiny/``: the six-monthly scrutiny review pack;
- ``changes/``: what changed since a date (the Leader's update to full Council);
- ``writers/``: xlsx, docx and html from a document (they know formats, never reports);
- ``document.py`` (the blocks), ``fields.py`` (an indicator row as a report reads it),
  ``text.py`` (text from returns made safe).
"""
