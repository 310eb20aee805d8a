"""The demo partnership's public face: its vision, terms of reference, member organisations,
annual report words, and what it has published (everything to 2010/11 Q3, and the 2009/10
annual report), so the demo site has content and 2010/11 Q4 and the 2010/11 annual report
are left for the officer to publish."""

from __future__ import annotations

from analytics.access import Grant, User
from analytics.warehouse import publication, queries

DEMO_OFFICER = User("demo", "Demo performance officer", (Grant("officer"),), source="cli")

# in the order the officer published them
PUBLISHED = (("quarter", "2009/10 Q2"), ("year", "2009/10"), ("quarter", "2010/11 Q3"))

PROFILE = {
    "vision": "By 2020 Wyvern Vale will be a safe, healthy and prosperous place, where every "
    "community shares in the district's success and looks after its environment.",
    "terms_of_reference": "The Wyvern Vale Partnership is the local strategic partnership for "
    "Wyvern Vale District. It brings together the public, private, voluntary and community "
    "sectors to agree the Sustainable Community Strategy and to see that it is delivered.\n\n"
    "The Board meets every eight weeks. It agrees the partnership's priorities, holds the "
    "theme groups to account for the targets in the Local Area Agreement and the community "
    "strategy, and reports once a year to the District Council's Cabinet and to every "
    "councillor. An annual meeting of the whole partnership is open to the public.",
    "community_strategy": "The Sustainable Community Strategy 2008-2011 sets out six "
    "priorities, one for each theme group: safer communities, a better environment, shared "
    "economic success, health and well-being, children and young people, and stronger "
    "communities. It is the Wyvern Vale chapter of the Wyvernshire Sustainable Community "
    "Strategy, and its targets include those of the Wyvernshire Local Area Agreement 2008-11.",
    "board_chair": "Leader of Wyvern Vale District Council",
    "public_contact": "The Partnership Manager, Wyvern Vale District Council, Council House, "
    "Wyvern Vale (partnership@wyvernvale.example).",
}

# The council's brand for the public site, set once (as `lsp site brand` would): its name,
# its colour (white text on it reaches 7:1) and a plain SVG logo (a river through a vale).
BRAND = {"council_name": "Wyvern Vale District Council", "brand_colour": "#1d5f8a"}
LOGO_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 40" width="64" height="40">
<path d="M2 36 L22 8 L32 20 L42 6 L62 36 Z" fill="#ffffff"/>
<path d="M2 36 C18 26 30 38 46 28 C52 24 58 26 62 28 L62 36 Z" fill="#8fc3e6"/>
</svg>
"""

MEMBERS = (
    ("Wyvern Vale District Council", "Local government"),
    ("Wyvernshire County Council", "Local government"),
    ("Wyvernshire Constabulary", "Police"),
    ("Wyvernshire Fire and Rescue Service", "Fire and rescue"),
    ("Wyvernshire Primary Care Trust", "Health"),
    ("Wyvern Vale CVS", "Voluntary and community sector"),
    ("Wyvern Vale Chamber of Commerce", "Business"),
    ("Wyvern Vale Housing Association", "Housing"),
    ("Wyvern College", "Education"),
)

FOREWORD = {
    "2009/10": "This has been a year of steady progress for the Wyvern Vale Partnership. In "
    "a difficult economic climate, partners have worked more closely than ever, pooling "
    "resources to deliver better outcomes for local people.\n\nCrime continued to fall, more "
    "household waste was recycled than ever before, and the partnership's work with young "
    "people is paying off. Some targets were missed, and this report is honest about them "
    "and about what we are doing to put them right.",
    "2010/11": "The last year of the 2008-11 Local Area Agreement has tested every partner. "
    "Despite reduced resources, the partnership has kept its focus on the priorities residents "
    "told us matter most.",
}
NARRATIVE = {
    "Safer communities": "Partners have kept the focus on the crimes that worry residents "
    "most. Serious acquisitive crime fell again, helped by targeted patrols and the "
    "Operation Nightsafe partnership in the town centre.",
    "Better environment": "Recycling rates rose for the third year running and the district's "
    "streets are cleaner. Fly-tipping remains a concern in two wards.",
    "Economic success": "The recession has hit local employment; the theme group has "
    "concentrated on skills and on helping people back into work.",
}


def publish_demo(path, partnership_id: int | None = None) -> dict[str, int]:
    if partnership_id is None:
        known = queries.partnerships(path)
        partnership_id = int(known.query("indicators > 0")["partnership_id"].iloc[0])
    publication.save_profile(path, partnership_id, PROFILE, list(MEMBERS), user=DEMO_OFFICER)
    publication.save_brand(
        path, partnership_id, user=DEMO_OFFICER, logo=LOGO_SVG, logo_name="wyvern-vale.svg",
        **BRAND,
    )  # fmt: skip
    themes = queries.themes(path, partnership_id)
    for year, text in FOREWORD.items():
        publication.save_annual_text(path, partnership_id, year, text, user=DEMO_OFFICER)
        for row in themes.itertuples():
            words = NARRATIVE.get(row.short_name)
            if words:
                publication.save_annual_text(
                    path, partnership_id, year, words, user=DEMO_OFFICER,
                    theme_id=int(row.theme_id),
                )  # fmt: skip
    for kind, period in PUBLISHED:
        publish = publication.publish_year if kind == "year" else publication.publish_period
        publish(path, partnership_id, period, user=DEMO_OFFICER)
    return {"publications": len(PUBLISHED)}
