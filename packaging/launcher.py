"""Entry script for the PyInstaller bundle: the same entry point as the ``casedesk`` command."""

import sys

from casedesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
