"""The user guide: where the app's help links point, and the route that serves the built site.

The documentation (``docs/``, built by ``make docs`` with MkDocs into ``build/docs/``) is
served by ``serve.py`` at ``/docs``, so every help link works on the council's own server
with nothing else to host. A council that publishes the guide elsewhere sets
``LSP_DOCS_URL`` (for example ``https://intranet.council.example/lsp-guide``), and the links
point there instead. No Streamlit here: ``serve.py`` imports it before any page runs.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILT_SITE = ROOT / "build" / "docs"  # mkdocs.yml's site_dir
DOCS_DIR_ENV = "LSP_DOCS_DIR"
DOCS_URL_ENV = "LSP_DOCS_URL"
DEFAULT_DOCS_URL = "/docs"
NOT_BUILT = (
    "The user guide has not been built on this server. Build it with `make docs` "
    "(`make run` does it too), or read it in the docs/ folder of the source."
)


def built_site() -> Path:
    """The folder of the built guide serve.py serves: ``$LSP_DOCS_DIR``, else build/docs/."""
    return Path(os.environ.get(DOCS_DIR_ENV) or BUILT_SITE)


def docs_url() -> str:
    """Where the guide is read: ``$LSP_DOCS_URL``, else ``/docs`` (served by serve.py)."""
    return (os.environ.get(DOCS_URL_ENV) or DEFAULT_DOCS_URL).rstrip("/")


def guide_url(guide: str) -> str:
    """The address of a page of the built guide, ``guide`` as in ``PageSpec.guide``
    (``"guide/board/#exceptions"``: the page's folder and an anchor)."""
    return f"{docs_url()}/{guide.lstrip('/')}"


class DocsSite:
    """ASGI app: the built site's files (``index.html`` for a folder, ``404.html`` for a page
    that is not there), or, when the site has not been built, a plain 404 saying how to.
    Looked for on every request, so a ``make docs`` run while the app serves is picked up."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files = None

    async def __call__(self, scope, receive, send) -> None:
        from starlette.responses import PlainTextResponse
        from starlette.staticfiles import StaticFiles

        if not (self.folder / "index.html").is_file():
            await PlainTextResponse(NOT_BUILT, status_code=404)(scope, receive, send)
            return
        if self._files is None:
            self._files = StaticFiles(directory=self.folder, html=True)
        await self._files(scope, receive, send)


def routes(folder: Path | None = None) -> list:
    """``/docs`` (to ``/docs/``) and everything under it, for ``st.App(..., routes=...)``:
    ``folder``, else :func:`built_site`."""
    from starlette.responses import RedirectResponse
    from starlette.routing import Mount, Route

    async def to_folder(request):
        return RedirectResponse(f"{DEFAULT_DOCS_URL}/", status_code=307)

    return [
        Route(DEFAULT_DOCS_URL, to_folder),
        Mount(DEFAULT_DOCS_URL, app=DocsSite(folder or built_site())),
    ]
