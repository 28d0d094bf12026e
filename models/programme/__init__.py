"""The regulation as data: the programme file's schema, its loading, its catalogue tables, and the pure rules of periods, cycles, reminders and due phrases."""
