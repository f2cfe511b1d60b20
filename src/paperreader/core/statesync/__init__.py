"""State that travels between machines, and the user's own state in the store.

The journal side (changes, hlc, reading, journal) and the import readers (importer, bibtex,
arxiv_ids) are plain data in, plain data out. ``service`` connects them to the store
(``bookkeeping`` and ``applying`` are its halves); ``importing`` applies an import file.
"""
