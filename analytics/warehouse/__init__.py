"""The only code that talks to DuckDB.

- ``connection``: where the warehouse is, the one writer (a transaction) and cached readers.
- ``migrations``: the schema, from numbered SQL files recorded in ``_migrations``.
- ``write``: the one way to write for a person (permission, transaction, audit as them);
  ``audit`` is its insert into the audit log.
- ``load`` (catalogue, framework), ``returns``, ``scrutiny``, ``publication``: the writes.
- ``queries``, ``views``, ``page_data``: the read-only views pages use.
"""
