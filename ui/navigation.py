"""The page list: every page once, with the action a user needs to open it.

``app.py`` builds ``st.navigation`` from :data:`PAGES`, keeping the pages the signed-in
user's role allows (:func:`analytics.access.may`). A new page is one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    file: str
    title: str
    icon: str
    url_path: str
    section: str
    action: str  # see analytics.access.roles.ACTIONS
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", ":material/dashboard:", "overview", "Board",
             "board.read", default=True),
    PageSpec("pages/exceptions.py", "Exceptions", ":material/report:", "exceptions", "Board",
             "board.read"),
    PageSpec("pages/trends.py", "Trends", ":material/show_chart:", "trends", "Board",
             "board.read"),
    PageSpec("pages/theme.py", "Theme group", ":material/groups:", "theme", "Board",
             "board.read"),
    PageSpec("pages/indicator.py", "Indicator", ":material/query_stats:", "indicator", "Board",
             "board.read"),
    PageSpec("pages/actions.py", "Actions", ":material/checklist:", "actions", "Board",
             "board.read"),
    PageSpec("pages/returns.py", "Returns", ":material/upload_file:", "returns",
             "Performance officer", "returns.submit"),
    PageSpec("pages/framework.py", "Framework", ":material/account_tree:", "framework",
             "Performance officer", "framework.read"),
    PageSpec("pages/annual.py", "Annual report", ":material/auto_stories:", "annual-report",
             "Performance officer", "annual.write"),
    PageSpec("pages/publish.py", "Publish", ":material/public:", "publish",
             "Performance officer", "publish"),
)  # fmt: skip
