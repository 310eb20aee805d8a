"""The council's name, logo and colour: kept once with the partnership (`lsp site brand`,
the Publish page), checked, audited, and used by every later build unless a flag overrides."""

from __future__ import annotations

import json
import struct
import zlib

import pytest

from analytics.access import PermissionDenied
from analytics.cli import main
from analytics.site.build import SiteOptions, build_site
from analytics.site.theme import SiteConfigError, logo_kind
from analytics.warehouse import publication
from analytics.warehouse.connection import reader
from tests.conftest import BOARD, OFFICER

PLAIN_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/>'
    b'</linearGradient></defs><rect width="10" height="10" fill="url(#g)"/>'
    b'<use xlink:href="#g"/></svg>'
)


def _png(width: int = 4, height: int = 4) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + b"\x1d\x5f\x8a" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))  # fmt: skip


def _pid(path) -> int:
    from analytics.warehouse import queries

    return int(queries.partnerships(path).query("indicators > 0")["partnership_id"].iloc[0])


# --- what is refused ---------------------------------------------------------------------


def test__logo__plain_svg_and_png_are_accepted():
    assert logo_kind(PLAIN_SVG) == "svg"
    assert logo_kind(_png()) == "png"


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "is empty"),
        (b"GIF89a\x01\x00\x01\x00", "neither an SVG nor a PNG"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'>" + b" " * 210_000 + b"</svg>", "under 200 KB"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
         "contains a script"),
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "onload attribute"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><a href='https://evil.example/'>x</a></svg>",
         "outside itself"),
        (b"<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'>"
         b"<image xlink:href='http://cdn.example/logo.png'/></svg>", "outside itself"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><rect fill='url(https://x.example/p)'/></svg>",
         "outside itself"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><style>@import url(https://x.example/a.css);"
         b"</style></svg>", "imports or runs"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><foreignObject><p>hi</p></foreignObject>"
         b"</svg>", "foreignobject"),
        (b"<?xml version='1.0'?><!DOCTYPE svg [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
         b"<svg xmlns='http://www.w3.org/2000/svg'>&x;</svg>", "entities"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><rect>", "not a well-formed SVG"),
    ],
)  # fmt: skip
def test__logo__refused_with_a_clear_message(data, says):
    with pytest.raises(SiteConfigError) as caught:
        logo_kind(data, "crest.svg")
    message = str(caught.value)
    assert says in message and "crest.svg" in message


def test__brand__refusals_change_nothing_and_name_the_problem(demo_copy):
    pid = _pid(demo_copy)
    before = publication.brand(demo_copy, pid)
    with pytest.raises(SiteConfigError, match=r"contrast of 1\.3:1"):
        publication.save_brand(demo_copy, pid, user=OFFICER, brand_colour="#ffdd00")
    with pytest.raises(SiteConfigError, match="not a colour"):
        publication.save_brand(demo_copy, pid, user=OFFICER, brand_colour="navy")
    with pytest.raises(SiteConfigError, match="contains a script"):
        publication.save_brand(
            demo_copy, pid, user=OFFICER, council_name="Changed",
            logo=b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        publication.save_brand(demo_copy, pid, user=BOARD, council_name="Board's council")
    with pytest.raises(publication.PublishError, match="Nothing to set"):
        publication.save_brand(demo_copy, pid, user=OFFICER)
    after = publication.brand(demo_copy, pid)
    assert {k: after[k] for k in ("council_name", "brand_colour", "logo_bytes")} == {
        k: before[k] for k in ("council_name", "brand_colour", "logo_bytes")
    }


def test__brand__saved_once_is_audited_without_the_file(demo_copy):
    pid = _pid(demo_copy)
    stored = publication.save_brand(
        demo_copy, pid, user=OFFICER, council_name=" Vale Council ", brand_colour="#0B0C0C",
        logo=_png(), logo_name="crest.png",
    )  # fmt: skip
    assert stored["council_name"] == "Vale Council" and stored["brand_colour"] == "#0b0c0c"
    assert stored["logo_type"] == "png" and stored["logo_bytes"] == _png()
    actor, detail = (
        reader(demo_copy)
        .execute(
            "SELECT actor, detail FROM audit_log WHERE entity = 'site_brand' ORDER BY audit_id DESC"
            " LIMIT 1"
        )
        .fetchone()
    )
    assert actor == OFFICER.actor
    detail = json.loads(detail)
    assert detail["logo"]["type"] == "png" and detail["logo"]["bytes"] == len(_png())
    assert detail["council_name"] == "Vale Council"
    cleared = publication.save_brand(demo_copy, pid, user=OFFICER, logo=None)
    assert cleared["logo_bytes"] is None and cleared["council_name"] == "Vale Council"


# --- the build uses it -------------------------------------------------------------------


def test__build__uses_the_stored_brand_and_a_flag_overrides_it(demo_copy, tmp_path):
    pid = _pid(demo_copy)
    publication.save_brand(
        demo_copy, pid, user=OFFICER, council_name="Vale Borough Council",
        brand_colour="#5a1d8a", logo=PLAIN_SVG, logo_name="vale.svg",
    )  # fmt: skip
    site = tmp_path / "site"
    build_site(demo_copy, site)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Vale Borough Council" in home
    assert "--govuk-brand-colour: #5a1d8a" in home
    assert 'src="assets/logo.svg"' in home
    assert (site / "assets" / "logo.svg").read_bytes() == PLAIN_SVG
    page = (site / "indicators" / "ni-191" / "index.html").read_text(encoding="utf-8")
    assert 'src="../../assets/logo.svg"' in page

    png = tmp_path / "crest.png"
    png.write_bytes(_png())
    report = build_site(
        demo_copy, site,
        options=SiteOptions(council_name="Flag Council", brand_colour="#1d70b8", logo=png),
    )  # fmt: skip
    assert report.built  # options changed: rebuilt
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Flag Council" in home and "Vale Borough Council" not in home
    assert "--govuk-brand-colour: #1d70b8" in home
    assert (site / "assets" / "logo.png").read_bytes() == _png()
    assert not (site / "assets" / "logo.svg").exists()


def test__build__a_changed_brand_rebuilds_the_site(demo_copy, tmp_path):
    site = tmp_path / "site"
    build_site(demo_copy, site)
    assert build_site(demo_copy, site).skipped  # nothing changed
    publication.save_brand(demo_copy, _pid(demo_copy), user=OFFICER, council_name="New name")
    report = build_site(demo_copy, site)
    assert report.built and "New name" in (site / "index.html").read_text(encoding="utf-8")


def test__build__refuses_a_logo_flag_with_a_script(demo_copy, tmp_path):
    bad = tmp_path / "bad.svg"
    bad.write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg' onclick='x()'/>")
    with pytest.raises(SiteConfigError, match="onclick"):
        build_site(demo_copy, tmp_path / "site", options=SiteOptions(logo=bad))


# --- the command -------------------------------------------------------------------------


def test__cli__site_brand_sets_shows_and_refuses(demo_copy, tmp_path, capsys):
    w = ["--warehouse", str(demo_copy), "site", "brand", "--partnership", "WVP"]
    logo = tmp_path / "crest.svg"
    logo.write_bytes(PLAIN_SVG)
    argv = [*w, "--council", "Vale District Council", "--logo", str(logo), "--colour", "#1d5f8a"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "brand saved" in out and "Vale District Council" in out and "SVG" in out
    assert main(w) == 0
    assert "Vale District Council" in capsys.readouterr().out
    assert main([*w, "--colour", "#ffdd00"]) == 1
    assert "4.5:1" in capsys.readouterr().err
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 250_000)
    assert main([*w, "--logo", str(big)]) == 1
    assert "under 200 KB" in capsys.readouterr().err
    assert main([*w, "--logo", str(tmp_path / "missing.svg")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main([*w, "--no-logo"]) == 0
    assert "logo (none)" in capsys.readouterr().out
    site = tmp_path / "site"
    assert main(["--warehouse", str(demo_copy), "site", "build", "-o", str(site)]) == 0
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Vale District Council" in home and "logo." not in home


def test__brand__an_empty_logo_file_is_refused_not_taken_for_a_removal(demo_copy, tmp_path, capsys):
    empty = tmp_path / "empty.svg"
    empty.write_bytes(b"")
    assert main(["--warehouse", str(demo_copy), "site", "brand", "--partnership", "WVP",
                 "--logo", str(empty)]) == 1  # fmt: skip
    assert "is empty" in capsys.readouterr().err
    assert publication.brand(demo_copy, _pid(demo_copy))["logo_type"] == "svg"
