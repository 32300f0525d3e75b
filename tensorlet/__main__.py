"""`python -m tensorlet ...` = the `tensorlet` command (see tensorlet/cli.py)."""
import sys

from tensorlet.cli import main

sys.exit(main())
