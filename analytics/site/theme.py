"""The council's look for the public site: name, logo and colour (pure).

The brand colour fills the header behind white text and colours links on white, so it must
reach 4.5:1 against white (WCAG 2.2 AA, 1.4.3); a colour that does not is refused with the
contrast it has.
"""

from __future__ import annotations

import re

DEFAULT_COLOUR = "#1d70b8"
_HEX = re.compile(r"^#([0-9a-fA-F]{6})$")


class SiteConfigError(ValueError):
    """A setting of the public site that cannot be used (the message says what to do)."""


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def check_brand_colour(colour: str) -> str:
    """The colour as ``#rrggbb`` (lower case), or :class:`SiteConfigError`."""
    if not _HEX.match(colour or ""):
        raise SiteConfigError(
            f"The brand colour {colour!r} is not a colour; write it as #rrggbb, e.g. #1d70b8."
        )
    ratio = contrast_ratio(colour, "#ffffff")
    if ratio < 4.5:
        raise SiteConfigError(
            f"The brand colour {colour} has a contrast of {ratio:.1f}:1 with white text; it "
            "needs at least 4.5:1 (WCAG 2.2 AA). Choose a darker shade."
        )
    return colour.lower()


def darker(colour: str, factor: float = 0.75) -> str:
    """A darker shade of a colour (for hovered links)."""
    parts = [int(int(colour[i : i + 2], 16) * factor) for i in (1, 3, 5)]
    return "#" + "".join(f"{p:02x}" for p in parts)
