"""The pure rules: periods, cycles, reminders, due phrases, catalogues, programme files, the layering."""
