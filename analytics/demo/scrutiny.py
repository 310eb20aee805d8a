"""The demo partnership's scrutiny history: a six-monthly review every autumn and early
summer, the LSP task-and-finish review (the eight recommendations of seed 004, Redditch
2010, moved to Wyvern Vale) and a red-flag review of health inequalities, and two red flags
from the Comprehensive Area Assessment, one since lifted.

The recommendations go in as the officer would: a tracker workbook loaded through the same
reader and write path as a user's (``lsp recommendations import``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from analytics.access import Grant, User
from analytics.scrutiny.workbook import read_tracker, write_template
from analytics.warehouse import queries, scrutiny

DEMO_USER = User("demo", "Demo data", (Grant("admin"),), source="cli")

REVIEW_DATES = [
    (date(2008, 11, 18), "Overview and Scrutiny Committee: six-monthly review, 2008/09 H1"),
    (date(2009, 6, 16), "Overview and Scrutiny Committee: six-monthly review, 2008/09 H2"),
    (date(2009, 11, 17), "Overview and Scrutiny Committee: six-monthly review, 2009/10 H1"),
    (date(2010, 6, 15), "Overview and Scrutiny Committee: six-monthly review, 2009/10 H2"),
    (date(2010, 11, 16), "Overview and Scrutiny Committee: six-monthly review, 2010/11 H1"),
    (date(2011, 6, 14), "Overview and Scrutiny Committee: six-monthly review, 2010/11 H2"),
]

LSP_REVIEW = "LSP Task and Finish Group: interim report"
HEALTH_REVIEW = "Red flag review: health inequalities"
SIX_MONTHLY = "Six-monthly performance review, 2009/10 H2"


def review_dates() -> pd.DataFrame:
    return pd.DataFrame(REVIEW_DATES, columns=["meeting_date", "title"])


def _rec(n, made, review, text, to, sent, **kw) -> dict:
    return {"reference": f"2009/10-{n:02d}" if made < date(2010, 4, 1) else f"2010/11-{n:02d}",
            "made_on": made, "review": review, "text": text, "addressed_to": to,
            "sent_on": sent, **kw}  # fmt: skip


def recommendations() -> pd.DataFrame:
    made, sent = date(2010, 3, 16), date(2010, 3, 24)
    replied = date(2010, 5, 11)
    rows = [
        _rec(1, made, LSP_REVIEW, "Following pre-scrutiny by the LSP Task and Finish Group, "
             "the proposed format and content of the Wyvern Vale Partnership's revamped "
             "website coverage, to be hosted by Wyvern Vale District Council, be endorsed.",
             "Cabinet", sent, response="accepted", response_on=replied,
             response_text="Agreed. The Partnership pages will go live on the Council's website "
             "in July 2010.", lead_officer="Partnership Manager", due_on=date(2010, 7, 31),
             status="implemented", closed_on=date(2010, 11, 16),
             closure_evidence="Partnership pages live since 5 July 2010; visits reported to the "
             "Board.", progress_note="Pages live on 5 July 2010.",
             progress_on=date(2010, 7, 5)),
        _rec(2, made, LSP_REVIEW, "An event, along the lines of the We are Wyvern Vale "
             "exhibition, be held every year in a form determined appropriate by Officers.",
             "Wyvern Vale Partnership Board", sent, response="partly_accepted",
             response_on=replied, response_text="The Board supports a public event but can fund "
             "one every two years; a smaller stand at the Vale Show in the years between.",
             lead_officer="Partnership Manager", due_on=date(2011, 9, 30), status="in_progress",
             progress_note="Stand booked for the Vale Show, August 2011.",
             progress_on=date(2011, 5, 20)),
        _rec(3, made, LSP_REVIEW, "The Wyvern Vale Partnership and appropriate partners should "
             "publicise their work and invite public reaction by providing regular updates in "
             "Vale Matters.", "Wyvern Vale Partnership Board", sent, response="accepted",
             response_on=replied, response_text="Agreed: a Partnership page in every edition.",
             lead_officer="Communications Manager", due_on=date(2010, 9, 30),
             status="implemented", closed_on=date(2010, 11, 16),
             closure_evidence="Partnership page in the Summer and Autumn 2010 editions.",
             progress_note="Summer 2010 edition carried the first page.",
             progress_on=date(2010, 6, 30)),
        _rec(4, made, LSP_REVIEW, "The Wyvern Vale Partnership should hold and advertise an "
             "Annual Meeting, as required by the terms of the Partnership's protocol, which "
             "partners, potential partners and members of the public could attend.",
             "Wyvern Vale Partnership Board", sent, response="accepted", response_on=replied,
             response_text="Agreed: the first Annual Meeting will review the refreshed "
             "Sustainable Community Strategy.", lead_officer="Partnership Manager",
             due_on=date(2011, 3, 31), status="in_progress",
             progress_note="Postponed until the refreshed strategy is agreed.",
             progress_on=date(2011, 2, 1)),
        _rec(5, made, LSP_REVIEW, "A new item be added to the full Council agenda requiring the "
             "Leader of the Council to deliver regular updates on the work of the Wyvern Vale "
             "Partnership since the previous meeting of the Council.", "Cabinet", sent,
             response="accepted", response_on=replied, response_text="Agreed; the constitution "
             "will be amended at the annual meeting.", lead_officer="Head of Democratic Services",
             due_on=date(2010, 7, 31), status="implemented",
             progress_note="Standing item on every full Council agenda since June 2010.",
             progress_on=date(2010, 6, 28)),
        _rec(6, made, LSP_REVIEW, "The Leader of the Council formally deliver an Annual Report "
             "to the last scheduled full Council meeting of the municipal year covering the "
             "work of the Wyvern Vale Partnership, formalising the current 'State of the "
             "District' address.", "Cabinet", sent, response="partly_accepted",
             response_on=replied, response_text="The Leader will report each year, as part of "
             "the State of the District address rather than as a separate report.",
             lead_officer="Partnership Manager", due_on=date(2011, 4, 30), status="implemented",
             closed_on=date(2011, 6, 14), closure_evidence="Annual report of the Partnership "
             "given to full Council on 25 April 2011.",
             progress_note="Delivered to full Council on 25 April 2011.",
             progress_on=date(2011, 4, 25)),
        _rec(7, made, LSP_REVIEW, "Information about the Wyvern Vale Partnership and LSPs "
             "should be provided for Members' consideration as part of the Member induction "
             "process.", "Cabinet", sent, response="accepted", response_on=replied,
             response_text="Agreed for the May 2010 intake.",
             lead_officer="Member Development Officer", due_on=date(2010, 6, 30),
             status="implemented", closed_on=date(2010, 11, 16),
             closure_evidence="Session held for new Members on 2 June 2010.",
             progress_note="Induction session held 2 June 2010.", progress_on=date(2010, 6, 2)),
        _rec(8, made, LSP_REVIEW, "A training event focusing on LSPs should be provided as a "
             "standard part of the Member training programme each year.", "Cabinet", sent,
             response="rejected", response_on=replied, response_text="The Member training "
             "budget (£2,740) cannot fund a further standard event; LSPs will be covered in "
             "the induction and in the general programme instead.",
             lead_officer="Member Development Officer", status="not_implemented"),
        _rec(1, date(2010, 11, 16), SIX_MONTHLY.replace("2009/10 H2", "2010/11 H1"),
             "The Economic success theme group present to the committee's next review its "
             "remedial plan for the working-age employment rate (NI 152), which has been red "
             "for three quarters.", "Economic success theme group", date(2010, 11, 23),
             theme="Economic success that is shared by all", indicator_codes="NI 152",
             response="accepted", response_on=date(2011, 1, 10),
             response_text="The theme group will bring its plan, with the Jobcentre Plus "
             "partnership agreement, to the June 2011 review.",
             lead_officer="Economic Development Manager", due_on=date(2011, 6, 14),
             status="in_progress", progress_note="Plan drafted with Jobcentre Plus.",
             progress_on=date(2011, 4, 15)),
        _rec(2, date(2011, 2, 8), HEALTH_REVIEW, "NHS Wyvernshire set out how its commissioning "
             "plan for 2011/12 will narrow the gap in life expectancy between the most and "
             "least deprived wards, against the Comprehensive Area Assessment red flag.",
             "NHS Wyvernshire (Primary Care Trust)", date(2011, 2, 15),
             theme="Improving health and well-being", indicator_codes="NI 120, NI 123"),
    ]  # fmt: skip
    return pd.DataFrame(rows)


def load_scrutiny(path, partnership_id: int, out_dir: Path) -> dict[str, int]:
    """Load the demo's tracker workbook and red flags (review dates come with the
    framework)."""
    themes = queries.themes(path, partnership_id)
    names = {str(n).lower(): int(i) for n, i in zip(themes["theme"], themes["theme_id"],
                                                     strict=True)}  # fmt: skip
    codes = set(queries.framework_indicators(path, partnership_id)["code"])
    workbook = write_template(out_dir / "recommendations.xlsx", recommendations())
    rows = read_tracker(workbook, names, codes)
    counts = scrutiny.import_recommendations(
        path, partnership_id, rows, user=DEMO_USER, today=date(2011, 6, 14)
    )
    health = names["improving health and well-being"]
    scrutiny.add_red_flag(
        path, partnership_id, user=DEMO_USER, title="Health inequalities",
        reason="Life expectancy is eight years lower for men in the most deprived wards than "
        "in the least deprived, and the gap is not narrowing; more or something different "
        "needs to be done.", source="Comprehensive Area Assessment (Audit Commission)",
        flagged_on=date(2009, 12, 9), theme_id=health, indicator_codes="NI 120, NI 123",
    )  # fmt: skip
    attainment = scrutiny.add_red_flag(
        path, partnership_id, user=DEMO_USER, title="Educational attainment at 16",
        reason="GCSE results (5 A*-C including English and maths) well below similar areas "
        "and the county.", source="Comprehensive Area Assessment (Audit Commission)",
        flagged_on=date(2009, 12, 9), theme_id=names["meeting the needs of children and young "
                                                     "people"], indicator_codes="NI 75",
    )  # fmt: skip
    scrutiny.lift_red_flag(
        path, partnership_id, attainment, user=DEMO_USER, lifted_on=date(2010, 11, 16),
        reason="Results rose to the county average in summer 2010; the committee agreed to "
        "lift the flag at its 2010/11 H1 review.",
    )  # fmt: skip
    return {"recommendations": counts["added"], "red_flags": 2}
