"""The only code that talks to DuckDB.

- ``connection``: where the warehouse is, the one writer (a transaction) and cached readers.
- ``migrations``: the schema, from numbered SQL files recorded in ``_migrations``.
- ``load``: every write (catalogue, framework, returns, audit log).
- ``queries``: the read-only views pages use.
"""
