"""State that travels between machines, and the user's own state in the store.

The journal side (changes, hlc, reading, journal) and the import readers (importer, bibtex,
arxiv_ids) are plain data in, plain data out. ``service`` connects them to the store
(``applying`` runs inside its transactions; the SQL is in ``store.state_stamps`` and
``store.notes_tags``); ``importing`` applies an import file.
"""
