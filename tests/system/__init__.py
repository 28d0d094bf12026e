"""The whole: `phoihop` processes, kills and restarts, fuzzing, PostgreSQL, migrations, a year and a province's scale."""
