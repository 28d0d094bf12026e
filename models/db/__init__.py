"""Engines and units of work, inserts that tell whether a row was new, paging, column types, migrations and the copy to another database."""
