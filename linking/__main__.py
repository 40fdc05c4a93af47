"""``python -m linking export|series`` (see :mod:`linking.cli`)."""

from __future__ import annotations

import sys

from linking.cli import main

if __name__ == "__main__":
    sys.exit(main())
