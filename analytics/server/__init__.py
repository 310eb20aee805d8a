"""`lsp serve`: the app as a council runs it, several app processes behind one address.

One Streamlit process serves every session's script in one Python process, so it uses one
core. ``lsp serve`` starts N app processes (``streamlit run serve.py``, each on its own
loopback port) and Caddy in front of them (:mod:`analytics.server.proxy`): Caddy upgrades
websockets, keeps each browser on one process by a cookie (a Streamlit session, with its
uploads and downloads, lives in the process that started it), checks every process's
``/_stcore/health`` and takes one that does not answer out of rotation. The supervisor
(:mod:`analytics.server.supervisor`) restarts a process that exits or stops answering, and
stops all of it on Ctrl-C or SIGTERM; its children also end if it is killed outright.

What the processes share is set here once (:mod:`analytics.server.workers`): Streamlit's
cookie secret (so an XSRF token issued by one validates on another after a failover), the
warehouse, the accounts store and ``LSP_TRUSTED_PROXIES`` (so they believe Caddy's
``X-Forwarded-For``). Nothing here imports Streamlit or DuckDB.
"""

from analytics.server.supervisor import ServeError, ServeOptions, default_workers, serve

__all__ = ["ServeError", "ServeOptions", "default_workers", "serve"]
