"""The one-page plain-English summary for the council magazine: the year at a glance, one
paragraph per theme group, where to find more. An HTML page on the site and a Word file."""

from __future__ import annotations

from analytics.vocabulary import JUDGED_STATUSES


def summary_content(site) -> dict:
    """Plain words from the gathered site: counts, and per theme what went well and what
    needs work (latest published figures)."""
    from analytics.site import model

    counts = model.headline(site)
    on = sum(c["count"] for c in counts if c["code"] == "green")
    judged = sum(c["count"] for c in counts if c["code"] in JUDGED_STATUSES)
    themes = []
    for t in site.themes:
        good = [i for i in t["indicators"] if i["latest"]["status"]["code"] == "green"]
        bad = [i for i in t["indicators"] if i["latest"]["status"]["code"] == "red"]
        judged_here = [i for i in t["indicators"]
                       if i["latest"]["status"]["code"] in JUDGED_STATUSES]  # fmt: skip
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
    """The summary as a one-page Word file, through the shared writers."""
    from analytics.reports.document import Bullets, Document, Paragraph, Part
    from analytics.reports.writers import render

    lead = f"{content['on']} of the {content['judged']} measures with a target are on target" + (
        f" (figures to {content['period']})." if content["period"] else "."
    )
    items = []
    for t in content["themes"]:
        text = t["sentence"]
        if t["highlight"]:
            text += f" Good news: {t['highlight']['title']}."
        if t["concern"]:
            text += f" Needs work: {t['concern']['title']}."
        items.append((t["name"], text))
    document = Document(
        title=f"How is {name} doing?",
        subtitle=lead,
        parts=[
            Part(None, [
                Bullets(tuple(items)),
                Paragraph("Find every figure, what it means and what the partnership is doing "
                          "about it on the partnership's pages of the council website."),
            ]),
        ],
        footer=f"{name}: the partnership at a glance",
        landscape=False,
    )  # fmt: skip
    return render(document, "docx")
