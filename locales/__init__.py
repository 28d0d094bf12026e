"""The catalogues (gettext .po files in vi/ and en/) and the functions that read them and format values for a language. Imports nothing else of the project: every layer may use it."""
