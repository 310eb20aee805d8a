"""Words for the demo partnership: commentary, remedial actions, actions and activities."""

from __future__ import annotations

COMMENT_ON = (
    "On track. The figure is in line with the profile agreed by the theme group.",
    "Performance is ahead of target this quarter; partners expect this to be sustained.",
    "Target met. Joint working between partners continues to show results.",
    "Figure confirmed by the lead partner; no concerns about the year-end position.",
    "Improvement on the same quarter last year; seasonal pattern as expected.",
    "Within target. The new data-sharing agreement has improved timeliness of this figure.",
)

COMMENT_OFF = (
    "Below profile this quarter. The recession has increased demand on partner services.",
    "Off target: staff vacancies in the lead team during the quarter slowed delivery.",
    "The figure has worsened since last quarter; the theme group is analysing the causes.",
    "Short of target. A change in the national counting rules affects comparison.",
    "Performance dipped in two wards; partners are targeting resources there.",
    "Below target: funding for the project was confirmed late in the year.",
)

COMMENT_DATA = (
    "Reported for information. Figures are discussed at the theme group each quarter.",
    "Data only: the theme group monitors the level and any change in reporting.",
    "For information. Partners encourage reporting, so a rise is not necessarily worse.",
)

COMMENT_SURVEY = (
    "Place Survey result (autumn survey, Ipsos MORI fieldwork); next survey in two years.",
    "From the biennial Place Survey; confidence interval +/- 3 percentage points.",
)

REMEDIAL = (
    "Theme group to agree a recovery plan at its next meeting; lead officer to report to "
    "the Board in two months.",
    "Additional partnership funding has been requested from the Area Based Grant; decision "
    "due next quarter.",
    "Partners are re-profiling resources into the priority wards; review at quarter end.",
    "Task and finish group set up with police, district and county officers; first report "
    "to the next Board.",
    "Lead partner to run a targeted campaign over the next quarter and report progress.",
)

# theme -> (title, indicator code, lead partner, milestones)
ACTIONS: dict[str, tuple[tuple[str, str | None, str, tuple[str, ...]], ...]] = {
    "safe": (
        (
            "Roll out Safer Neighbourhood Team tasking in every ward",
            "NI 16",
            "Wyvernshire Constabulary",
            ("Tasking groups agreed", "All wards covered", "Review of first year"),
        ),
        (
            "Open a one-stop shop for victims of domestic abuse",
            "NI 32",
            "Domestic Abuse Forum",
            ("Premises secured", "Staff recruited", "Service opens"),
        ),
        (
            "Alcohol-related violence campaign in the night-time economy",
            "NI 20",
            "Wyvernshire Constabulary",
            ("Pubwatch scheme relaunched", "Winter campaign run"),
        ),
        (
            "Integrated offender management for prolific offenders",
            "NI 30",
            "Wyvernshire Probation",
            ("Cohort identified", "Joint case meetings weekly", "Evaluation reported"),
        ),
        (
            "Road safety education for young drivers",
            "NI 47",
            "Wyvernshire County Council",
            ("Programme designed", "Delivered in all secondary schools"),
        ),
        (
            "Anti-social behaviour hotspot action days",
            "L-SC-01",
            "Wyvern Vale District Council",
            ("Hotspots mapped", "Four action days held", "Residents' feedback survey"),
        ),
    ),
    "env": (
        (
            "Fortnightly kerbside recycling with food waste collection",
            "NI 192",
            "Wyvern Vale District Council",
            ("Procurement complete", "Pilot in 2,000 homes", "District-wide roll out"),
        ),
        (
            "Home composting promotion",
            "NI 191",
            "Wyvern Vale District Council",
            ("Subsidised bins offered", "Roadshows at markets"),
        ),
        (
            "Climate change adaptation plan for the district",
            "NI 188",
            "Climate Change Group",
            ("Local climate impacts profile", "Risk assessment", "Adaptation plan adopted"),
        ),
        (
            "Carbon reduction in partners' buildings",
            "NI 186",
            "Climate Change Group",
            ("Energy audits", "Boiler replacement programme"),
        ),
        (
            "Enforcement campaign against fly-tipping",
            "L-EN-01",
            "Wyvern Vale District Council",
            ("CCTV at hotspots", "Prosecutions publicised"),
        ),
    ),
    "econ": (
        (
            "Work Club network for people out of work",
            "NI 152",
            "Jobcentre Plus",
            ("Venues agreed", "Five clubs open", "Six-month evaluation"),
        ),
        (
            "Affordable housing delivery programme",
            "NI 155",
            "Wyvern Vale District Council",
            ("Sites identified", "Registered provider partners appointed", "First completions"),
        ),
        (
            "Business support for start-ups in the town centre",
            "NI 171",
            "Business Link",
            ("Enterprise hub opens", "Grant scheme launched"),
        ),
        (
            "Speed up planning decisions on major applications",
            "NI 157a",
            "Wyvern Vale District Council",
            ("Pre-application service", "New validation checklist"),
        ),
        (
            "Skills for jobs programme with the FE college",
            "NI 151",
            "Wyvern Vale College",
            ("Courses designed", "First cohort completes"),
        ),
    ),
    "health": (
        (
            "Stop smoking service in pharmacies and GP surgeries",
            "NI 123",
            "Wyvernshire Primary Care Trust",
            ("Pharmacies trained", "Service in all surgeries"),
        ),
        (
            "Alcohol brief interventions in A&E",
            "NI 39",
            "Wyvernshire Primary Care Trust",
            ("Staff trained", "Referral pathway agreed", "Audit of referrals"),
        ),
        (
            "Free swimming for over-60s and under-16s",
            "L-HW-01",
            "Wyvern Vale District Council",
            ("Scheme launched", "Usage review"),
        ),
        (
            "Exercise on referral scheme",
            "L-HW-02",
            "Wyvernshire Primary Care Trust",
            ("Scheme designed", "GP practices signed up", "First annual report"),
        ),
        (
            "Telecare for vulnerable older people",
            "NI 136",
            "Wyvernshire County Council",
            ("Equipment contract let", "500 homes connected"),
        ),
    ),
    "cyp": (
        (
            "Reduce young people not in education, employment or training",
            "NI 117",
            "Connexions Wyvernshire",
            ("Tracking improved", "Targeted support for 16-18s", "September guarantee met"),
        ),
        (
            "Youth offending prevention programme",
            "NI 111",
            "Youth Offending Service",
            ("Triage scheme in custody suite", "Restorative justice training"),
        ),
        (
            "Teenage pregnancy strategy action plan",
            "NI 112",
            "Wyvernshire Primary Care Trust",
            ("Sexual health outreach in schools", "Young people's clinic extended hours"),
        ),
        (
            "Positive activities programme in the holidays",
            "L-CY-01",
            "Wyvern Vale District Council",
            ("Summer programme", "Youth bus in rural villages"),
        ),
        (
            "Healthy schools and child weight management",
            "NI 56",
            "Wyvernshire Primary Care Trust",
            ("Healthy schools status in 80% of schools", "Family weight management course"),
        ),
    ),
    "strong": (
        (
            "Community cohesion strategy",
            "NI 1",
            "Wyvern Vale District Council",
            ("Consultation", "Strategy adopted", "Cohesion events"),
        ),
        (
            "Volunteering week and volunteer centre outreach",
            "NI 6",
            "Wyvern Vale CVS",
            ("Volunteering week held", "Outreach in three market towns"),
        ),
        (
            "Neighbourhood forums in every ward",
            "NI 4",
            "Wyvern Vale District Council",
            ("Forum model agreed", "All forums meeting"),
        ),
        (
            "Compact with the voluntary sector refreshed",
            "NI 7",
            "Wyvern Vale CVS",
            ("Draft compact", "Signed by all partners"),
        ),
        (
            "Customer contact: reduce avoidable contact",
            "NI 14",
            "Wyvern Vale District Council",
            ("Contact analysis", "Web self-service for top ten requests"),
        ),
        (
            "Community buildings improvement fund",
            None,
            "Wyvern Vale CVS",
            ("Fund launched", "Grants awarded"),
        ),
    ),
}

ACTIVITIES: dict[str, tuple[tuple[str, str], ...]] = {
    "safe": (
        (
            "PACT meetings in every ward",
            "Police and Communities Together meetings held in all wards; 240 residents attended.",
        ),
        (
            "Operation Nightsafe",
            "Joint police and licensing operation over the festive period; "
            "no serious assaults in the town centre.",
        ),
        ("Crucial Crew", "Safety education for 900 Year 6 pupils with fire, police and council."),
        ("Sanctuary scheme", "Security improvements fitted for 14 victims of domestic abuse."),
    ),
    "env": (
        ("Green Flag award", "The Priory Park retained its Green Flag award."),
        (
            "Community clean-up days",
            "Twelve clean-up days with 300 volunteers; 9 tonnes collected.",
        ),
        ("Real nappy scheme", "Incentive scheme launched with the county council."),
        (
            "Energy efficiency grants",
            "Insulation fitted in 180 homes through the Warm Front partnership.",
        ),
    ),
    "econ": (
        ("Jobs fair", "The partnership's jobs fair attracted 1,100 visitors and 45 employers."),
        ("Town centre markets", "Farmers' market expanded to fortnightly."),
        ("Apprenticeships", "Partners took on 22 apprentices between them."),
        ("Affordable homes handed over", "Sixteen homes for rent completed at Mill Lane."),
    ),
    "health": (
        ("Health walks", "Health walks programme reached 5,000 walker-visits."),
        ("Stop smoking success", "Record quit numbers in National No Smoking Day week."),
        ("Older people's festival", "Festival of activities for older people with 30 partners."),
        ("Community food growing", "Four allotment projects started with health trainers."),
    ),
    "cyp": (
        ("Youth council", "Youth council elections held; 4,200 young people voted."),
        ("Holiday activities", "Summer programme with 2,300 attendances."),
        ("Young carers", "Young carers' support group meeting fortnightly."),
        ("Duke of Edinburgh awards", "Record number of bronze awards in the district."),
    ),
    "strong": (
        ("Volunteer awards", "Annual volunteer awards celebrated 60 nominees."),
        ("Parish plans", "Three parishes completed community-led plans."),
        ("Interfaith week", "Interfaith week events with schools and faith groups."),
        ("Community transport", "Dial-a-ride extended to Saturday services."),
    ),
}
