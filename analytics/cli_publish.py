"""`lsp publish` and `lsp site build`: publication after approval, and the public site.

    lsp publish --period "2010/11 Q2"     # the quarter's figures (and everything before it)
    lsp publish --year 2010/11            # the annual report: figures to Q4, foreword, narratives
    lsp publish --list                    # what is published, when and by whom
    lsp site build -o site/ [--partnership WVP]
    lsp site brand --council "Wyvern Vale District Council" --logo logo.svg --colour "#1d5f8a"

Exit status: 0 done, 1 nothing to publish or build (the message says why), 2 used wrongly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_publish_commands(sub: argparse._SubParsersAction) -> None:
    publish = sub.add_parser(
        "publish",
        help="publish a quarter's figures or a year's annual report; list publications",
        description=__doc__.split("\n\n")[0],
    )
    what = publish.add_mutually_exclusive_group(required=True)
    what.add_argument("--period", help="a quarter, e.g. '2010/11 Q2'")
    what.add_argument("--year", help="a financial year's annual report, e.g. 2010/11")
    what.add_argument("--list", action="store_true", help="show what is published")
    publish.add_argument("--partnership", help="name or code (default: the one with a framework)")
    publish.set_defaults(func=cmd_publish)

    site = sub.add_parser("site", help="the public static site")
    ssub = site.add_subparsers(dest="site_command", required=True)
    build = ssub.add_parser(
        "build",
        help="write the public site from published figures only",
        description="Write the public site (static files: no Python or database needed to "
        "serve it) from what has been published.",
    )
    build.add_argument("-o", "--output", required=True, type=Path, help="the folder to write")
    build.add_argument(
        "--partnership",
        help="one partnership (name or code), at the folder's root; default: every partnership "
        "with publications (one alone at the root, several in a folder each)",
    )
    build.add_argument("--council", help="the council's name in the header (default: profile)")
    build.add_argument("--colour", help="the brand colour, #rrggbb (default: profile or #1d70b8)")
    build.add_argument("--logo", type=Path, help="the council's logo (SVG or PNG)")
    build.add_argument(
        "--full", action="store_true", help="rebuild every partnership, changed or not"
    )
    build.add_argument(
        "--workers", type=int, default=1, help="processes building partnerships (default 1)"
    )
    build.set_defaults(func=cmd_site_build)

    brand = ssub.add_parser(
        "brand",
        help="set the council's name, logo and colour once for every later build",
        description="Keep the council's name, logo and colour with the partnership, for "
        "every later `lsp site build` (a build's --council, --logo or --colour still "
        "overrides them). With no option, show what is set.",
    )
    brand.add_argument("--partnership", help="name or code (default: the one with a framework)")
    brand.add_argument("--council", help="the council's name in the header ('' clears it)")
    brand.add_argument(
        "--colour", help="#rrggbb, at least 4.5:1 with white text ('' clears it: #1d70b8)"
    )
    logo = brand.add_mutually_exclusive_group()
    logo.add_argument("--logo", type=Path, help="an SVG or PNG under 200 KB")
    logo.add_argument("--no-logo", action="store_true", help="remove the logo")
    brand.set_defaults(func=cmd_site_brand)


def _parse(text: str, grain: str) -> str:
    from analytics import periods

    code = periods.parse_period(text)
    if periods.parse_code(code).grain != grain:
        example = "2010/11 Q2" if grain == "quarter" else "2010/11"
        raise periods.PeriodError(f"{text!r} is not a {grain}; write it as {example}")
    return code


def cmd_publish(args: argparse.Namespace) -> int:
    from analytics import periods
    from analytics.access import cli_user
    from analytics.cli import choose_partnership
    from analytics.warehouse import publication

    pid, name = choose_partnership(args.warehouse, args.partnership)
    if args.list:
        frame = publication.publications(args.warehouse, pid)
        if frame.empty:
            print(f"{name}: nothing is published yet.")
            return 0
        print(f"{name}: {len(frame)} publications, latest first")
        for row in frame.itertuples():
            what = "annual report" if row.kind == "year" else "quarter"
            print(
                f"  {row.period:<11} {what:<13} published {row.published_at:%Y-%m-%d %H:%M}"
                f" by {row.published_by}: {row.values_new} figures new,"
                f" {row.values_revised} revised"
            )
        return 0
    try:
        if args.period:
            result = publication.publish_period(
                args.warehouse, pid, _parse(args.period, "quarter"), user=cli_user()
            )
        else:
            result = publication.publish_year(
                args.warehouse, pid, _parse(args.year, "year"), user=cli_user()
            )
    except periods.PeriodError as exc:
        print(f"--{'period' if args.period else 'year'}: {exc}", file=sys.stderr)
        return 2
    except publication.PublishError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    what = "Annual report" if result.kind == "year" else "Quarter"
    print(
        f"{what} {result.period} published for {name} (figures to {result.period_end:%d %B %Y}):"
        f" {result.values_new} figures new, {result.values_revised} revised,"
        f" {result.values_updated} with new text or status, {result.activities} activities"
        + (f", {result.texts} texts" if result.kind == "year" else "")
        + ". Next: `lsp site build -o site/`."
    )
    return 0


def cmd_site_build(args: argparse.Namespace) -> int:
    from analytics.site.build import SiteOptions, build_site
    from analytics.site.theme import SiteConfigError

    try:
        options = SiteOptions(council_name=args.council, brand_colour=args.colour, logo=args.logo)
        report = build_site(
            args.warehouse, args.output, partnership=args.partnership, options=options,
            full=args.full, workers=max(1, args.workers),
        )  # fmt: skip
    except SiteConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    for line in report.lines():
        print(line)
    return 0 if report.built or report.skipped else 1


def cmd_site_brand(args: argparse.Namespace) -> int:
    from analytics.access import cli_user
    from analytics.cli import choose_partnership
    from analytics.site.theme import SiteConfigError
    from analytics.warehouse import publication

    pid, name = choose_partnership(args.warehouse, args.partnership)
    changes: dict = {}
    if args.council is not None:
        changes["council_name"] = args.council
    if args.colour is not None:
        changes["brand_colour"] = args.colour
    if args.no_logo:
        changes["logo"] = None
    elif args.logo is not None:
        if not args.logo.is_file():
            print(f"--logo: {args.logo} does not exist.", file=sys.stderr)
            return 1
        changes["logo"] = args.logo.read_bytes()
        changes["logo_name"] = str(args.logo)
    try:
        if changes:
            brand = publication.save_brand(args.warehouse, pid, user=cli_user(), **changes)
        else:
            brand = publication.brand(args.warehouse, pid)
    except (SiteConfigError, publication.PublishError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    logo = brand["logo_bytes"]
    print(
        f"{name}: {'brand saved' if changes else 'brand'}: council "
        f"{brand['council_name'] or '(not set: the header says Partnership)'}; colour "
        f"{brand['brand_colour'] or '(not set: #1d70b8)'}; logo "
        + (f"{brand['logo_type'].upper()}, {len(logo) / 1024:.1f} KB" if logo else "(none)")
        + "."
        + (" Every `lsp site build` uses it from now on." if changes else "")
    )
    return 0
