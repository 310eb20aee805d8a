"""Plain-English help for the "how status is decided" panel."""

from __future__ import annotations

from analytics.labels import rule_text

RULES_HELP: dict[str, str] = {
    "pct_tolerance": (
        "**Percentage tolerance (the default).** Green when the target is met or beaten. "
        "Amber when it is missed by no more than the tolerance, a percentage of the target "
        "(5% unless the indicator sets another). Red when it is missed by more."
    ),
    "abs_tolerance": (
        "**Absolute tolerance.** Green when the target is met or beaten. Amber when it is "
        "missed by no more than a fixed amount in the indicator's own units (for example 10 "
        "days). Red when it is missed by more. With no amount set, any miss is red."
    ),
    "ideal_minimum": (
        "**Ideal target and minimum standard.** The target is the ideal. Green when the ideal "
        "is met. Amber when the value falls short of the ideal but still meets the minimum "
        "standard. Red when it falls short of the minimum standard, or when no minimum "
        "standard is set."
    ),
    "improved_last_year": (
        "**Improved on last year.** Green when the target is met or beaten. Amber when it is "
        "missed but the value is better than, or no worse than, the same period last year. "
        "Red when it is missed and the value is worse than last year, or when there is no "
        "value for the same period last year to show an improvement."
    ),
    "green_band": (
        "**Green band (any rule).** An indicator may count a small miss as green: with a "
        "green band (the framework's `green_tolerance_pct`, a percentage of the target), a "
        "value on target or missing it by no more than the band is green, and the rule "
        "decides amber and red beyond it. With no band the target itself must be met. "
        "Havering's published rule is the improved-on-last-year rule with a 10% band: green "
        "on or within 10% of the target; amber more than 10% off and improved or maintained "
        'on the same quarter last year; red otherwise. The reason says so: "2.1% above '
        'target 640 kg, within the 10% green band".'
    ),
    "data_only": (
        "**Data only.** The figure is reported for information; it gets no colour. "
        "Indicators with no polarity (neither higher nor lower is better) are treated alike."
    ),
    "missing": (
        "**Missing.** No value was reported for a period when one was due. A missing return "
        "is itself an exception and is shown to the Board."
    ),
    "no_target": (
        "**No target.** No target is in force for the year, or the target is a placeholder "
        "awaiting a baseline. An indicator with no target is never green."
    ),
    "no_new_data": (
        "**No new data.** A survey indicator (such as the biennial Place Survey) in a year with "
        "no survey. It is never shown as red for that."
    ),
    "comparison": (
        "**How values are compared.** Values and targets are rounded to the indicator's "
        "decimal places first, so what is compared is what is printed. Whether higher or "
        "lower is better follows the indicator's polarity. For measures counted up through "
        "the year, the quarter's target is the year-to-date share of the annual target (a "
        "straight line unless a quarterly profile was agreed)."
    ),
    "direction": (
        "**Direction of travel.** Improving, worsening or no change against the previous "
        "period and against the same period last year, after polarity. A change no bigger "
        "than the indicator's threshold counts as no change."
    ),
    "forecast": (
        "**Year-end forecast.** For measures counted up through the year, the year to date "
        "scaled up to a full year at the same rate; for other measures, the latest value. "
        "The forecast is given a status against the annual target by the same rule."
    ),
    "milestones": (
        "**Actions and milestones.** Completed; reprogrammed or suspended with approval; "
        "green when on schedule; amber when up to one month (31 days) behind the original "
        "due date; red when more than a month behind. A revised date without approval does "
        "not move the due date. An action takes the status of its worst milestone, and is "
        "completed only when all its milestones are."
    ),
}

RULES_HELP_MARKDOWN = "\n\n".join(RULES_HELP.values())


def rule_in_words(
    rule: str,
    pct: float | None = None,
    abs_band: float | None = None,
    minimum: float | None = None,
    green: float | None = None,
) -> str:
    """One indicator's rule in words, its green band included (for rules panels)."""
    return rule_text(rule, pct, abs_band, minimum, green)
