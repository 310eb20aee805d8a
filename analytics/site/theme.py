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


# --- the council's logo ------------------------------------------------------------------

LOGO_MAX_BYTES = 200 * 1024
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SVG_NS = "{http://www.w3.org/2000/svg}"
# attributes whose value names another resource (an external one unless it is '#id')
_LINK_ATTRIBUTES = {"href", "src", "xml:base"}
_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


def logo_kind(data: bytes, name: str = "the logo") -> str:
    """``'svg'`` or ``'png'`` for a logo the site can carry, or :class:`SiteConfigError`
    saying what is wrong: more than 200 KB, neither SVG nor PNG, or an SVG with a script, an
    event handler or a reference to anything outside itself (a link, an image, a font or a
    style sheet on another host would be fetched by every visitor's browser)."""
    if not data:
        raise SiteConfigError(f"The logo {name} is empty. Choose an SVG or PNG file.")
    if len(data) > LOGO_MAX_BYTES:
        raise SiteConfigError(
            f"The logo {name} is {len(data) / 1024:.0f} KB; a logo must be under "
            f"{LOGO_MAX_BYTES // 1024} KB. Save a smaller version (an SVG, or a PNG about "
            "100 pixels high)."
        )
    if data.startswith(_PNG_SIGNATURE):
        return "png"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "<svg" not in text[:4096].lower():
        raise SiteConfigError(
            f"The logo {name} is neither an SVG nor a PNG file. Export the logo as SVG or PNG."
        )
    _check_svg(text, name)
    return "svg"


def _refuse(name: str, what: str) -> SiteConfigError:
    return SiteConfigError(
        f"The logo {name} {what}. A logo on the public site must be a plain picture: save it "
        "again without scripts, links or outside references (e.g. Inkscape's 'Plain SVG', "
        "or export it as PNG)."
    )


def _check_svg(text: str, name: str) -> None:
    import xml.etree.ElementTree as ET

    lowered = text.lower()
    if "<!doctype" in lowered or "<!entity" in lowered:
        # entities can pull in other files or expand without end: refused before parsing
        raise _refuse(name, "declares a document type or entities")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise SiteConfigError(
            f"The logo {name} is not a well-formed SVG file ({exc}). Export it again as SVG or PNG."
        ) from None
    if root.tag not in (f"{_SVG_NS}svg", "svg"):
        raise SiteConfigError(f"The logo {name} is not an SVG picture (its root is not <svg>).")
    for element in root.iter():
        tag = str(element.tag).rsplit("}", 1)[-1].lower()
        if tag == "script":
            raise _refuse(name, "contains a script")
        if tag in ("foreignobject", "iframe", "embed", "object"):
            raise _refuse(name, f"contains a <{tag}> element (it can hold a web page)")
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                raise _refuse(name, f"contains a script (the {local} attribute)")
            if local in _LINK_ATTRIBUTES and not value.strip().startswith("#"):
                raise _refuse(name, f"refers to something outside itself ({local}={value!r})")
            _check_css(value, name)
        if tag == "style" and element.text:
            _check_css(element.text, name)


def _check_css(css: str, name: str) -> None:
    lowered = css.lower()
    if "@import" in lowered or "javascript:" in lowered or "expression(" in lowered:
        raise _refuse(name, "has a style that imports or runs something")
    for target in _URL.findall(css):
        if not target.startswith("#"):
            raise _refuse(name, f"refers to something outside itself (url({target}))")
