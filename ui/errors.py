"""What a page shows when something fails: a plain message, never a traceback.

Everything app.py runs (sign-in included) runs inside :func:`plain_errors`. A failure is
logged on the server with its traceback and a short reference; the page shows the reference
and what to do, with no exception type, message or file path. A database error that can
come from a damaged snapshot has the snapshot replaced from the main file
(:func:`analytics.warehouse.connection.replace_snapshot`) and the page run once more.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import streamlit as st

from analytics.warehouse.connection import (
    WarehouseBusy,
    is_damage,
    replace_snapshot,
    warehouse_path,
)

log = logging.getLogger("lsp.app")
_RETRIED = "_lsp_retried_after_damage"


def failure_message(reference: str) -> str:
    return (
        "Something went wrong showing this page, and nothing you did was lost. Try again "
        "in a moment (reload the page); if it keeps happening, tell your administrator and "
        f"give them this reference: **{reference}**."
    )


@contextmanager
def plain_errors() -> Iterator[None]:
    """Run the page; show any failure plainly (Streamlit's own stop and rerun pass through:
    they are not ``Exception``)."""
    try:
        yield
    except WarehouseBusy:
        st.warning(
            "The data is being updated just now and could not be read. Reload the page in a "
            "moment.",
            icon=":material/hourglass_top:",
        )
    except duckdb.Error as exc:
        retry = is_damage(exc) and not st.session_state.get(_RETRIED)
        if retry and replace_snapshot(warehouse_path()):
            st.session_state[_RETRIED] = True
            st.rerun()
        _show(exc)
    except Exception as exc:
        _show(exc)
    else:
        st.session_state.pop(_RETRIED, None)


def _show(exc: BaseException) -> None:
    reference = secrets.token_hex(4)
    log.error("page failed (reference %s)", reference, exc_info=exc)
    st.error(failure_message(reference), icon=":material/error:")
