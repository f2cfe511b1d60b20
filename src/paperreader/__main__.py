"""Allow ``python -m paperreader``."""

from paperreader.cli import main

raise SystemExit(main())
