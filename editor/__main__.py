"""`python -m editor`: the same as the `draftpress` command."""

from __future__ import annotations

import sys

from editor.cli import main

sys.exit(main())
