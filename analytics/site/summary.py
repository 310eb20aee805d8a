"""The one-page plain-English summary for the council magazine: the year at a glance, one
paragraph per theme group, where to find more. An HTML page on the site and a Word file."""

from __future__ import annotations

import io


def summary_content(site) -> dict:
    """Plain words from the gathered site: counts, and per theme what went well and what
    needs work (latest published figures)."""
    from analytics.site import model

    counts = model.headline(site)
    on = sum(c["count"] for c in counts if c["code"] == "green")
    judged = sum(c["count"] for c in counts if c["code"] in ("green", "amber", "red"))
    themes = []
    for t in site.themes:
        good = [i for i in t["indicators"] if i["latest"]["status"]["code"] == "green"]
        bad = [i for i in t["indicators"] if i["latest"]["status"]["code"] == "red"]
        judged_here = [i for i in t["indicators"]
                       if i["latest"]["status"]["code"] in ("green", "amber", "red")]  # fmt: skip
        highlight = t["activities"][0] if t["activities"] else None
        themes.append(
            {
                "name": t["name"],
                "slug": t["slug"],
                "sentence": f"{len(good)} of {len(judged_here)} indicators with a target are "
                "on target."
                if judged_here
                else "No indicator with a target has been published yet.",
                "highlight": highlight,
                "concern": bad[0] if bad else None,
            }
        )
    return {"on": on, "judged": judged, "themes": themes, "period": site.latest_period}


def summary_pages(writer) -> None:
    content = summary_content(writer.site)
    writer.page("summary/index.html", "summary.html", "The partnership at a glance",
                f"A one-page summary of how {writer.name} is doing, in plain English.",
                "summary", summary=content)  # fmt: skip
    writer._write("summary/summary.docx", to_docx(writer.name, content))


def to_docx(name: str, content: dict) -> bytes:
    from docx import Document
    from docx.shared import Mm, Pt

    from analytics.reports.text import clean

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(f"How is {name} doing?", level=1)
    doc.add_paragraph(
        f"{content['on']} of the {content['judged']} measures with a target are on target"
        + (f" (figures to {content['period']})." if content["period"] else ".")
    )
    for t in content["themes"]:
        p = doc.add_paragraph()
        p.add_run(clean(t["name"]) + ". ").bold = True
        p.add_run(t["sentence"])
        if t["highlight"]:
            p.add_run(f" Good news: {clean(t['highlight']['title'])}.")
        if t["concern"]:
            p.add_run(f" Needs work: {clean(t['concern']['title'])}.")
    doc.add_paragraph(
        "Find every figure, what it means and what the partnership is doing about it on the "
        "partnership's pages of the council website."
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
