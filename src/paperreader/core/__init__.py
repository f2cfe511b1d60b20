"""The headless core: data, store, sync, export. Nothing here imports Textual."""
