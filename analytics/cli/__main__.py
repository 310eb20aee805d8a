"""``python -m analytics.cli``: the `lsp` command."""

import sys

from analytics.cli import main

sys.exit(main())
