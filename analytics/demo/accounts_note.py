"""What `make run` prints before it opens the app: who can sign in to this warehouse."""

from __future__ import annotations

import sys

from analytics.demo.spec import DEMO_PASSWORD


def note(path: str) -> str:
    from analytics.warehouse import accounts

    accounts.store_for(path)  # moves a warehouse's old accounts in, once
    demo = accounts.demo_accounts(path)
    if demo:
        rows = "\n".join(f"  {email:<30} {role}" for email, role in demo)
        return f"Sign in with a demo account (password {DEMO_PASSWORD}):\n{rows}"
    if accounts.account_count(path) == 0:
        return (
            "This warehouse has no accounts yet. Add the first administrator:\n"
            "  lsp user add you@example.org --name 'Your Name' --role admin --password-stdin"
        )
    return "Sign in with your account (`lsp user list` shows them)."


if __name__ == "__main__":
    print(note(sys.argv[1]))
    from analytics.warehouse.connection import close_readers

    close_readers()
