"""The words of statistical process control: one table per vocabulary, and the sentences.

Codes are what frames and ``lsp status`` carry; labels and symbols are what people read
(a symbol as well as a colour, never colour alone). The sentences for the "how status is
decided" panel are built here and only here (:func:`spc_sentence`), from the table
``SENTENCES``.
"""

from __future__ import annotations

# The rule that made a point special, in order of precedence (code: label, symbol).
SPC_POINTS: dict[str, tuple[str, str]] = {
    "beyond_limits": ("Beyond a process limit", "◆"),
    "trend": ("Trend: rising or falling in a row", "▲▼"),
    "two_of_three": ("Two of three points near a limit", "◈"),
    "shift": ("Shift: a run on one side of the mean", "■"),
    "common_cause": ("Common cause (normal variation)", "●"),
}

# Variation, from the latest point: Making Data Count's icon names (code: label, symbol).
SPC_VARIATIONS: dict[str, tuple[str, str]] = {
    "common_cause": ("Common cause: no significant change", "~"),
    "improvement_high": ("Special cause improving: higher", "↑"),
    "improvement_low": ("Special cause improving: lower", "↓"),
    "concern_high": ("Special cause concerning: higher", "⇑"),
    "concern_low": ("Special cause concerning: lower", "⇓"),
    "neutral_high": ("Special cause: higher (neither better nor worse)", "↥"),
    "neutral_low": ("Special cause: lower (neither better nor worse)", "↧"),
}

# Assurance against the target (code: label, symbol); empty without a target.
SPC_ASSURANCES: dict[str, tuple[str, str]] = {
    "consistent_pass": ("Consistently passes the target", "P"),
    "consistent_fail": ("Consistently fails the target", "F"),
    "hit_and_miss": ("Hit and miss: the target is within normal variation", "?"),
}

# Sentence parts. ``{n}`` is the number of points in the run, ``{periods}`` the period noun
# ("quarters", "years"), ``{limit_points}`` the number of points the limits come from.
SENTENCES: dict[str, str] = {
    # verdict, by the kind of special cause (after polarity) and its side
    "improvement_high": "Better than usual",
    "improvement_low": "Better than usual",
    "concern_high": "Worse than usual",
    "concern_low": "Worse than usual",
    "neutral_high": "Higher than usual",
    "neutral_low": "Lower than usual",
    # evidence, by rule and side
    "beyond_limits_high": "above the upper process limit",
    "beyond_limits_low": "below the lower process limit",
    "trend_high": "rising for {n} {periods} in a row",
    "trend_low": "falling for {n} {periods} in a row",
    "two_of_three_high": "two of the last three {periods} close to the upper limit",
    "two_of_three_low": "two of the last three {periods} close to the lower limit",
    "shift_high": "above the mean for {n} {periods} in a row",
    "shift_low": "below the mean for {n} {periods} in a row",
    "special_tail": ", a real change, not noise.",
    "common_cause": "Within normal variation",
    "common_cause_tail": ": no sign of a real change.",
    # assurance, replacing the common-cause tail or added after a special cause
    "hit_and_miss": ": the target is within the limits, so it will be hit and missed.",
    "consistent_pass": " The target is outside the limits on the good side: it will be met "
    "unless the process changes.",
    "consistent_fail": " The target is outside the limits on the wrong side: it will not be "
    "met unless the process changes.",
    "hit_and_miss_after_special": " The target is within the limits.",
    "common_consistent_pass": ": the target is outside the limits on the good side, so it "
    "will be met unless the process changes.",
    "common_consistent_fail": ": the target is outside the limits on the wrong side, so it "
    "will not be met unless the process changes.",
    # caveats
    "trial": " Trial limits, from {limit_points} {periods} (fewer than 12): they will move "
    "as data arrive.",
    "too_few": "Too few values for process limits ({limit_points} so far).",
    "no_data": "No values to analyse.",
    "increments": " Analysed on each quarter's own increment, not the year to date.",
}


def spc_sentence(
    point: str,
    variation: str,
    side: int,
    assurance: str,
    run_points: int,
    limit_points: int,
    trial: bool,
    periods: str = "quarters",
    is_increment: bool = False,
) -> str:
    """One sentence for a point (usually the latest): what the chart says, in words.

    ``point`` is the rule (``spc_point``), ``variation`` the icon code, ``side`` +1/-1/0,
    ``assurance`` the assurance code or "", ``run_points`` the run's length for a trend or
    shift, ``limit_points`` how many points the limits come from."""
    s = SENTENCES
    if not point:
        return s["no_data"]
    fill = {"n": run_points, "periods": periods, "limit_points": limit_points}
    if limit_points < 2:
        text = s["too_few"].format(**fill)
    elif point == "common_cause":
        tail = s["common_cause_tail"]
        if assurance == "hit_and_miss":
            tail = s["hit_and_miss"]
        elif assurance in ("consistent_pass", "consistent_fail"):
            tail = s["common_" + assurance]
        text = s["common_cause"] + tail
    else:
        where = f"{point}_{'high' if side > 0 else 'low'}"
        text = f"{s[variation]}: {s[where].format(**fill)}{s['special_tail']}"
        if assurance == "hit_and_miss":
            text += s["hit_and_miss_after_special"]
        elif assurance:
            text += s[assurance]
    if trial and limit_points >= 2:
        text += s["trial"].format(**fill)
    if is_increment:
        text += s["increments"]
    return text


# Is the change real? A short verdict for an indicator's latest reading, for the exception
# report and the Board (variation first, then assurance).
VERDICTS: dict[str, str] = {
    "concern": "Real: a special cause of concern, not noise",
    "improvement": "Real: a special cause of improvement, not noise",
    "neutral": "Real: a special cause (a change, neither better nor worse)",
    "hit_and_miss": "Noise: common-cause variation around its target (hit and miss)",
    "consistent_fail": "No real change, but as it runs it cannot meet the target (consistently "
    "fails)",
    "consistent_pass": "Common-cause variation; the target is met unless the process changes",
    "common_cause": "Common-cause variation: no sign of a real change",
}


def spc_verdict(variation: object, assurance: object) -> str:
    """The verdict for a reading ('' without one): a special cause says which kind; common
    cause says what the target's place in the limits means."""
    if not isinstance(variation, str) or not variation:
        return ""
    kind = variation.split("_")[0]
    if kind in ("concern", "improvement", "neutral"):
        return VERDICTS[kind]
    if isinstance(assurance, str) and assurance in VERDICTS:
        return VERDICTS[assurance]
    return VERDICTS["common_cause"]


def spc_variation_text(variation: object) -> str:
    """'⇓ Special cause concerning: lower' ('' without a reading)."""
    if isinstance(variation, str) and variation in SPC_VARIATIONS:
        label, symbol = SPC_VARIATIONS[variation]
        return f"{symbol} {label}"
    return ""


def spc_assurance_text(assurance: object) -> str:
    """'F Consistently fails the target' ('' without a target or a reading)."""
    if isinstance(assurance, str) and assurance in SPC_ASSURANCES:
        label, symbol = SPC_ASSURANCES[assurance]
        return f"{symbol} {label}"
    return ""
