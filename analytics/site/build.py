"""Build the public site: static files from published figures only.

``build_site(warehouse, out)`` writes, per partnership with publications, a folder of plain
HTML, CSV and CSS (no script, no request to another host) that any web server can serve.
One partnership alone goes at the folder's root; several go in a folder each
(``out/<code>/``) under an index. Each partnership's folder carries a manifest of what it was
built from (its latest publication, profile, the site's templates and the options): a build
skips partnerships whose manifest matches, so a new quarter for one partnership rebuilds
only that one. A partnership's pages are written to a fresh folder that then replaces the old
one, so a server never serves half a build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import sys
import time
import types
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

import jinja2

from analytics import periods, vocabulary
from analytics.site import datasets, model
from analytics.site.theme import (
    DEFAULT_COLOUR,
    SiteConfigError,
    check_brand_colour,
    darker,
    logo_kind,
)
from analytics.warehouse import published as published_reads
from analytics.warehouse.partnerships import Partnership

MANIFEST = ".lsp-build.json"


@dataclass(frozen=True)
class SiteOptions:
    council_name: str | None = None
    brand_colour: str | None = None
    logo: Path | None = None


@dataclass
class BuildReport:
    out: Path
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    pages: int = 0
    files: int = 0
    largest_page_bytes: int = 0
    largest_page: str = ""
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # the partnerships' builds, summed over every process

    def merge(self, other: BuildReport) -> None:
        self.pages += other.pages
        self.files += other.files
        self.cpu_seconds += other.cpu_seconds
        if other.largest_page_bytes > self.largest_page_bytes:
            self.largest_page_bytes = other.largest_page_bytes
            self.largest_page = other.largest_page

    def lines(self) -> list[str]:
        if not self.built and not self.skipped:
            return ["Nothing is published yet: publish a quarter first (`lsp publish --period`)."]
        out = [
            f"Site written to {self.out}: {len(self.built)} partnership(s) built"
            + (f", {len(self.skipped)} unchanged" if self.skipped else "")
            + f", {self.pages} pages, {self.files} files, in {self.seconds:.1f} s."
        ]
        if self.pages:
            out.append(
                f"Largest page: {self.largest_page} ({self.largest_page_bytes / 1024:.0f} KB)."
            )
        out.append(f"Serve it with any web server, e.g. `python -m http.server -d {self.out}`.")
        return out


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.PackageLoader("analytics.site", "templates"),
                jinja2.PrefixLoader(
                    {"govuk_frontend_jinja": jinja2.PackageLoader("govuk_frontend_jinja")}
                ),
            ]
        ),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates are read once a build, not checked before each page
    )
    env.filters["longdate"] = _longdate
    env.filters["paragraphs"] = lambda text: [p.strip() for p in str(text).split("\n\n") if p]
    return env


def _longdate(value) -> str:
    if value is None:
        return "–"
    if not isinstance(value, date):
        import pandas as pd

        value = pd.Timestamp(value).date()
    return f"{value.day} {value:%B %Y}"


def _css_path() -> Path:
    path = Path(str(resources.files("analytics.site") / "static" / "site.css"))
    if not path.exists():
        raise SiteConfigError(
            f"The site's styles are not compiled ({path} is missing). Run `make setup` (it "
            "installs GOV.UK Frontend from npm and compiles them)."
        )
    return path


def _templates_hash() -> str:
    digest = hashlib.sha256()
    folder = resources.files("analytics.site") / "templates"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".html"):
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    for name in ("model.py", "datasets.py", "charts.py", "build.py", "summary.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    digest.update(_css_path().read_bytes())
    return digest.hexdigest()[:16]


def build_site(
    path,
    out: str | Path,
    partnership: Partnership | None = None,
    options: SiteOptions | None = None,
    full: bool = False,
    workers: int = 1,
) -> BuildReport:
    """Write the site to ``out``; only partnerships whose publications, profile, templates
    or options changed since the last build are rebuilt (``full``: all of them), in
    ``workers`` processes. ``partnership`` (found by
    :func:`~analytics.warehouse.partnerships.find_partnership`): that one alone, at the root."""
    started = time.perf_counter()
    options = options or SiteOptions()
    if options.brand_colour:
        check_brand_colour(options.brand_colour)
    if options.logo is not None:
        if not Path(options.logo).is_file():
            raise SiteConfigError(f"The logo {options.logo} does not exist.")
        logo_kind(Path(options.logo).read_bytes(), str(options.logo))
    out = Path(out)
    report = BuildReport(out=out)
    known = published_reads.published_partnerships(path)
    if partnership is not None:
        known = known[known["partnership_id"] == partnership.id]
        if known.empty:
            raise SiteConfigError(
                f"Nothing is published for {partnership}. Publish a quarter first "
                f"(`lsp publish --period ... --partnership {partnership.code}`)."
            )
    if known.empty:
        return report
    out.mkdir(parents=True, exist_ok=True)
    env = environment()
    stamp = _templates_hash()
    single = len(known) == 1
    entries, todo = [], []
    for row in known.to_dict("records"):
        folder = out if single else out / model.slug(row["partnership_code"])
        entries.append({"name": row["name"], "slug": model.slug(row["partnership_code"])})
        key = json.dumps(
            {
                # the partnership's latest publication and profile edit (the save of a
                # profile rewrites it with a new time, members included)
                "data": f"{row['last_publication']}|{row['profile_updated_at']}",
                "templates": stamp,
                "council": options.council_name,
                "colour": options.brand_colour,
                "logo": _file_hash(options.logo),
                "single": single,
            },
            sort_keys=True,
            default=str,
        )
        if not full and _manifest(folder) == key:
            report.skipped.append(row["name"])
            continue
        todo.append((int(row["partnership_id"]), str(folder), key, row["name"]))
    if workers > 1 and len(todo) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        spawn = multiprocessing.get_context("spawn")  # no DuckDB handle crosses a fork
        with ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool:
            with _no_main():  # the workers start as the jobs are handed out
                where = str(path) if path else None
                jobs = [pool.submit(_build_one, where, pid, folder, options, key, single)
                        for pid, folder, key, _ in todo]  # fmt: skip
            for job, (_, _, _, name) in zip(jobs, todo, strict=True):
                report.merge(job.result())
                report.built.append(name)
    else:
        for pid, folder, key, name in todo:
            report.merge(_build_one(path, pid, folder, options, key, single, env))
            report.built.append(name)
    if not single:
        brand = _brand({}, options)
        html = env.get_template("partnerships.html").render(
            title="Partnership performance",
            description="The published performance of each local strategic partnership.",
            site_name="Partnership performance",
            brand=brand,
            root="",
            home_href="",
            nav=[],
            crumbs=[],
            published_end=None,
            partnerships=entries,
        )
        (out / "index.html").write_text(html, encoding="utf-8")
        assets = out / "assets"
        assets.mkdir(exist_ok=True)
        shutil.copyfile(_css_path(), assets / "site.css")
        if brand["logo"]:
            (assets / brand["logo"]).write_bytes(brand["logo_bytes"])
    report.seconds = time.perf_counter() - started
    return report


@contextlib.contextmanager
def _no_main():
    """While workers start: a spawned worker runs the parent's main script again unless it
    was run as a module, and under Streamlit (or an AppTest) that script is the app, which
    would start signing someone in. The workers need nothing of it: they are shown a bare
    ``__main__`` meanwhile."""
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None:
        yield
        return
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _file_hash(path) -> str | None:
    if path is None:
        return None
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def _manifest(folder: Path) -> str | None:
    try:
        return (folder / MANIFEST).read_text(encoding="utf-8")
    except OSError:
        return None


def _brand(profile: dict, options: SiteOptions) -> dict:
    """The council's name, colour and logo: a build option where given, else the brand kept
    with the partnership's profile (`lsp site brand`), else the defaults."""
    colour = check_brand_colour(
        options.brand_colour or profile.get("brand_colour") or DEFAULT_COLOUR
    )
    logo = data = None
    if options.logo is not None:
        data = Path(options.logo).read_bytes()
        logo = f"logo.{logo_kind(data, str(options.logo))}"
    elif profile.get("logo_file") and profile.get("logo_type") in ("svg", "png"):
        data, logo = bytes(profile["logo_file"]), f"logo.{profile['logo_type']}"
    return {
        "council": options.council_name or profile.get("council_name") or "Partnership",
        "colour": colour,
        "hover": darker(colour),
        "logo": logo,
        "logo_bytes": data,
    }


def _build_one(path, partnership_id: int, folder, options, key: str, single: bool, env=None):
    """Build one partnership's folder (in this process or a worker); its own counts."""
    report = BuildReport(out=Path(folder))
    started = time.process_time()
    pub = published_reads.published(path, partnership_id)
    _build_partnership(env or environment(), pub, Path(folder), options, key, report, single)
    report.cpu_seconds = time.process_time() - started
    return report


def _build_partnership(env, pub, folder: Path, options, key: str, report, single: bool):
    site = model.gather(pub)
    brand = _brand(pub.profile, options)
    # write into a fresh folder, then swap it in (a server never serves half a build)
    staging = folder.with_name(folder.name + ".building") if not single else None
    target = staging if staging is not None else folder
    if staging is not None and staging.exists():
        shutil.rmtree(staging)
    if single:
        _clear(folder)
    target.mkdir(parents=True, exist_ok=True)
    writer = _Writer(env, target, site, brand, report, pub)
    writer.write_all()
    assets = target / "assets"
    assets.mkdir(exist_ok=True)
    shutil.copyfile(_css_path(), assets / "site.css")
    if brand["logo"]:
        (assets / brand["logo"]).write_bytes(brand["logo_bytes"])
    (target / MANIFEST).write_text(key, encoding="utf-8")
    if staging is not None:
        old = folder.with_name(folder.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        if folder.exists():
            folder.rename(old)
        staging.rename(folder)
        if old.exists():
            shutil.rmtree(old)


TREND_PAGE_BYTES = 90_000  # charts and their tables on one page, so a page stays < 150 KB


ROW_BYTES = 620  # a history table row, with its status tag (measured: 600)
THEME_ROW_BYTES = 900  # a row of the theme page's own table of indicators or achievements


def _trend_pages(items: list[dict], charts: dict, first_page_rows: int = 0) -> list[list[dict]]:
    """A theme's indicators in pages of trends: as many as fit the byte budget (a chart and
    its table each), at least one a page. The first page also carries the theme's table of
    ``first_page_rows`` indicators and achievements, so it takes fewer."""
    pages, current = [], []
    size = THEME_ROW_BYTES * first_page_rows
    for item in items:
        cost = len(charts[item["slug"]]) + ROW_BYTES * len(item["history"]) + 800
        if current and size + cost > TREND_PAGE_BYTES:
            pages.append(current)
            current, size = [], 0
        current.append(item)
        size += cost
    pages.append(current)
    return pages


def _clear(folder: Path) -> None:
    """Remove what an earlier build wrote at the root (only the site's own paths)."""
    if not folder.exists():
        return
    for name in ("index.html", MANIFEST):
        (folder / name).unlink(missing_ok=True)
    for name in ("assets", "themes", "indicators", "annual-reports", "about", "open-data",
                 "how-we-judge-status", "accessibility", "summary"):  # fmt: skip
        shutil.rmtree(folder / name, ignore_errors=True)


class _Writer:
    """Writes one partnership's pages (relative links: the site works under any path)."""

    def __init__(self, env, root: Path, site: model.Site, brand: dict, report: BuildReport, pub):
        self.env, self.root, self.site, self.brand, self.report = env, root, site, brand, report
        self.name = site.partnership["name"]
        self.latest_quarter = (
            periods.period_containing(site.published_end, "quarter") if site.published_end else None
        )
        self.built_on = date.today()
        self.pub = pub

    # --- plumbing ------------------------------------------------------------------------

    def _nav(self, current: str, root: str) -> list[dict]:
        items = [
            ("home", "", "Home"),
            ("annual", "annual-reports/", "Annual reports"),
            ("summary", "summary/", "Summary"),
            ("about", "about/", "About the partnership"),
            ("open-data", "open-data/", "Open data"),
        ]
        return [
            {"href": root + href, "text": text, "active": key == current, "current": key == current}
            for key, href, text in items
        ]

    def page(self, rel: str, template: str, title: str, description: str, nav: str,
             crumbs: list[tuple[str, str]] | None = None, **context) -> None:  # fmt: skip
        depth = rel.count("/")
        root = "../" * depth
        crumb_items = [{"text": "Home", "href": root or "./"}] + [
            {"text": text, "href": root + href} for text, href in (crumbs or [])
        ]
        html = self.env.get_template(template).render(
            title=title,
            description=description,
            site_name=self.name,
            site=self.site,
            brand=self.brand,
            root=root,
            home_href="",
            nav=self._nav(nav, root),
            crumbs=crumb_items if rel != "index.html" else [],
            published_end=self.site.published_end,
            latest_quarter=self.latest_quarter,
            built_on=self.built_on,
            **context,
        )
        if root == "":
            html = html.replace('href=""', 'href="./"')
        self._write(rel, html)
        self.report.pages += 1
        size = len(html.encode("utf-8"))
        if size > self.report.largest_page_bytes:
            self.report.largest_page_bytes, self.report.largest_page = size, rel

    def _write(self, rel: str, text: str | bytes) -> None:
        file = self.root / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            file.write_bytes(text)
        else:
            file.write_text(text, encoding="utf-8")
        self.report.files += 1

    def csv(self, rel: str, slug: str, rows: list[list]) -> None:
        self._write(rel, datasets.to_csv(datasets.BY_SLUG[slug], rows))

    # --- pages ---------------------------------------------------------------------------

    def write_all(self) -> None:
        from analytics.site.charts import trend_svg

        site = self.site
        charts = {item["slug"]: trend_svg(item, f"chart-{item['slug']}") for item in
                  site.indicators}  # fmt: skip
        area = site.partnership.get("area_name") or "the area"
        intro = (
            f"{self.name} is the local strategic partnership for {area}: the council, the "
            "police, the health service, the fire service, the voluntary sector and business "
            "working together to one community strategy. Here are its targets, how it is "
            "doing against them and what it is doing about them."
        )
        self.page("index.html", "home.html", self.name,
                  f"How {self.name} is doing against its targets: the latest published figures "
                  "for each theme group.", "home",
                  intro=intro, headline=model.headline(site))  # fmt: skip
        self.csv("open-data/latest-figures.csv", "latest-figures",
                 datasets.figure_rows(site.indicators, latest_only=True))  # fmt: skip
        self.csv("open-data/all-figures.csv", "all-figures",
                 datasets.figure_rows(site.indicators, latest_only=False))  # fmt: skip
        for theme in site.themes:
            rel = f"themes/{theme['slug']}/"
            own_rows = len(theme["indicators"]) + len(theme["activities"][:12])
            chunks = _trend_pages(theme["indicators"], charts, own_rows)
            pages = [{"n": n + 1, "href": rel if n == 0 else f"{rel}trends-{n + 1}/"}
                     for n in range(len(chunks))]  # fmt: skip
            for n, chunk in enumerate(chunks):
                if n == 0:
                    self.page(rel + "index.html", "theme.html", theme["name"],
                              f"{theme['name']}: the latest figures, targets, status and trends "
                              f"of its {len(theme['indicators'])} indicators.", "home",
                              crumbs=[], theme=theme, charts=charts, trend_items=chunk,
                              trend_pages=pages, trend_page=1,
                              activities=theme["activities"][:12])  # fmt: skip
                else:
                    self.page(f"{rel}trends-{n + 1}/index.html", "theme_trends.html",
                              f"{theme['name']}: trends, page {n + 1} of {len(chunks)}",
                              f"{theme['name']}: the trend of each indicator, with its figures "
                              f"(page {n + 1} of {len(chunks)}).", "home",
                              crumbs=[(theme["name"], rel)], theme=theme, charts=charts,
                              trend_items=chunk, trend_pages=pages,
                              trend_page=n + 1)  # fmt: skip
            self.csv(rel + "indicators.csv", "theme-indicators",
                     datasets.figure_rows(theme["indicators"], latest_only=True))  # fmt: skip
        for item in site.indicators:
            rel = f"indicators/{item['slug']}/"
            commentary = [h for h in reversed(item["history"])
                          if h["commentary"] or h["remedial_action"]]  # fmt: skip
            self.page(rel + "index.html", "indicator.html", f"{item['code']}: {item['title']}",
                      f"{item['code']} {item['title']}: what it measures, every published "
                      "figure against its target, county and England comparisons, and what "
                      "the partnership is doing about it.", "home",
                      crumbs=[(item["theme"]["name"], f"themes/{item['theme']['slug']}/")],
                      item=item, svg=charts[item["slug"]], commentary=commentary)  # fmt: skip
            self.csv(rel + "history.csv", "indicator-history",
                     datasets.figure_rows([item], latest_only=False))  # fmt: skip
            if item["comparators"]:
                self.csv(rel + "comparators.csv", "indicator-comparators",
                         datasets.comparator_rows(item))  # fmt: skip
        self.page("about/index.html", "about.html", "About the partnership",
                  f"Who {self.name} is: its vision, its Board and theme groups, its member "
                  "organisations, terms of reference and community strategy.", "about",
                  intro=intro)  # fmt: skip
        statuses = [
            {**model.status(code), "explained": model.STATUS_EXPLAINED[code]}
            for code in vocabulary.STATUSES
        ]
        directions = [
            {**model.direction("improving"), "explained": "Better than the period before."},
            {**model.direction("worsening"), "explained": "Worse than the period before."},
            {**model.direction("no_change"),
             "explained": "About the same: the change is too small to count."},
        ]  # fmt: skip
        self.page("how-we-judge-status/index.html", "status.html", "How we judge status",
                  "What on target, just off target and off target mean, and how targets and "
                  "direction of travel are worked out.", "",
                  statuses=statuses, directions=directions)  # fmt: skip
        self.page("accessibility/index.html", "accessibility.html", "Accessibility statement",
                  f"How accessible the {self.name} performance website is, and how to tell us "
                  "about a problem.", "")  # fmt: skip
        self._open_data()
        self._annual_reports()
        self._summary()

    def _open_data(self) -> None:
        site = self.site
        files = {
            "latest-figures": [{"href": "open-data/latest-figures.csv",
                                "label": "Latest figures, every indicator"}],
            "all-figures": [{"href": "open-data/all-figures.csv",
                             "label": "All published figures"}],
            "theme-indicators": [{"href": f"themes/{t['slug']}/indicators.csv",
                                  "label": t["name"]} for t in site.themes],
            "indicator-history": [{"href": f"indicators/{i['slug']}/history.csv",
                                   "label": f"{i['code']}: {i['title']}"}
                                  for i in site.indicators],
            "indicator-comparators": [{"href": f"indicators/{i['slug']}/comparators.csv",
                                       "label": f"{i['code']}: {i['title']}"}
                                      for i in site.indicators if i["comparators"]],
        }  # fmt: skip
        listed = []
        for d in datasets.DATASETS:
            entry = {"slug": d.slug, "title": d.title, "description": d.description,
                     "files": files[d.slug] if len(files[d.slug]) <= 1 else []}  # fmt: skip
            listed.append(entry)
            self.page(f"open-data/{d.slug}/index.html", "dataset.html", d.title,
                      f"Open data: {d.title.lower()}. Every column explained, with its unit.",
                      "open-data", crumbs=[("Open data", "open-data/")],
                      dataset={**d.__dict__, "files": files[d.slug]})  # fmt: skip
        self.page("open-data/index.html", "open_data.html", "Open data",
                  f"Every table of the {self.name} performance website as a CSV file, with "
                  "each column explained.", "open-data", datasets=listed)  # fmt: skip

    def _annual_reports(self) -> None:
        from analytics.site.annual import annual_pages

        annual_pages(self)

    def _summary(self) -> None:
        from analytics.site.summary import summary_pages

        summary_pages(self)
