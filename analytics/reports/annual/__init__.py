"""The partnership's annual report: gathered once (``data.annual_report``), then written as
Word (``docx.to_docx``) or HTML (``html.to_html``, the public site's templates)."""
