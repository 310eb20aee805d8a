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
from pathlib import Path

from analytics.cli.common import (
    Rejected,
    chosen_partnership,
    named_partnership,
    output_option,
    partnership_option,
    period_type,
)


def cmd_publish(args: argparse.Namespace) -> int:
    from analytics.access import cli_user
    from analytics.warehouse import publication

    partnership = chosen_partnership(args)
    pid, name = partnership.id, partnership.name
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
                args.warehouse, pid, str(args.period), user=cli_user()
            )
        else:
            result = publication.publish_year(args.warehouse, pid, str(args.year), user=cli_user())
    except publication.PublishError as exc:
        raise Rejected(str(exc)) from None
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

    partnership = named_partnership(args)
    try:
        options = SiteOptions(council_name=args.council, brand_colour=args.colour, logo=args.logo)
        report = build_site(
            args.warehouse, args.output, partnership=partnership, options=options,
            full=args.full, workers=max(1, args.workers),
        )  # fmt: skip
    except SiteConfigError as exc:
        raise Rejected(str(exc)) from None
    for line in report.lines():
        print(line)
    return 0 if report.built or report.skipped else 1


def cmd_site_brand(args: argparse.Namespace) -> int:
    from analytics.access import cli_user
    from analytics.site.theme import SiteConfigError
    from analytics.warehouse import publication

    partnership = chosen_partnership(args)
    pid, name = partnership.id, partnership.name
    changes: dict = {}
    if args.council is not None:
        changes["council_name"] = args.council
    if args.colour is not None:
        changes["brand_colour"] = args.colour
    if args.no_logo:
        changes["logo"] = None
    elif args.logo is not None:
        if not args.logo.is_file():
            raise Rejected(f"--logo: {args.logo} does not exist.")
        changes["logo"] = args.logo.read_bytes()
        changes["logo_name"] = str(args.logo)
    try:
        if changes:
            brand = publication.save_brand(args.warehouse, pid, user=cli_user(), **changes)
        else:
            brand = publication.brand(args.warehouse, pid)
    except (SiteConfigError, publication.PublishError) as exc:
        raise Rejected(str(exc)) from None
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


def register(sub: argparse._SubParsersAction) -> None:
    """`lsp publish` and `lsp site build|brand` on the `lsp` parser."""
    publish = sub.add_parser(
        "publish",
        help="publish a quarter's figures or a year's annual report; list publications",
        description="Publish a quarter's figures (and everything before them) or a year's "
        "annual report, once approved; or list what is published, when and by whom.",
    )
    what = publish.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--period",
        type=period_type("quarter"),
        metavar="QUARTER",
        help="a quarter, e.g. '2010/11 Q2'",
    )
    what.add_argument(
        "--year",
        type=period_type("year"),
        metavar="YEAR",
        help="a financial year's annual report (its figures to Q4, foreword and narratives), "
        "e.g. 2010/11",
    )
    what.add_argument("--list", action="store_true", help="show what is published")
    partnership_option(publish)
    publish.set_defaults(func=cmd_publish)

    site = sub.add_parser(
        "site",
        help="the public static site",
        description="The public static site, from published figures only.",
    )
    ssub = site.add_subparsers(dest="site_command", required=True, metavar="COMMAND")
    build = ssub.add_parser(
        "build",
        help="write the public site from published figures only",
        description="Write the public site (static files: no Python or database needed to "
        "serve it) from what has been published. Only partnerships whose publications, brand "
        "or templates changed since the last build are built again.",
    )
    output_option(build, "the folder to write", metavar="DIR")
    partnership_option(
        build,
        "every partnership with publications: one alone at the folder's root, several in a "
        "folder each",
    )
    build.add_argument(
        "--council", metavar="NAME", help="the council's name in the header (default: the brand)"
    )
    build.add_argument(
        "--colour",
        metavar="#RRGGBB",
        help="the brand colour (default: the brand, else #1d70b8)",
    )
    build.add_argument(
        "--logo",
        type=Path,
        metavar="FILE",
        help="the council's logo, SVG or PNG (default: the brand)",
    )
    build.add_argument(
        "--full", action="store_true", help="rebuild every partnership, changed or not"
    )
    build.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="processes building partnerships (default: 1)",
    )
    build.set_defaults(func=cmd_site_build)

    brand = ssub.add_parser(
        "brand",
        help="set the council's name, logo and colour once for every later build",
        description="Keep the council's name, logo and colour with the partnership, for "
        "every later `lsp site build` (a build's --council, --logo or --colour still "
        "overrides them). With no option, show what is set.",
    )
    partnership_option(brand)
    brand.add_argument(
        "--council", metavar="NAME", help="the council's name in the header ('' clears it)"
    )
    brand.add_argument(
        "--colour",
        metavar="#RRGGBB",
        help="the brand colour, at least 4.5:1 with white text ('' clears it: #1d70b8)",
    )
    logo = brand.add_mutually_exclusive_group()
    logo.add_argument("--logo", type=Path, metavar="FILE", help="an SVG or PNG under 200 KB")
    logo.add_argument("--no-logo", action="store_true", help="remove the logo")
    brand.set_defaults(func=cmd_site_brand)
