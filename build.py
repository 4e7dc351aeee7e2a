#!/usr/bin/env python3
"""Build the site: `python build.py --help` lists the options."""
import sys

from site_gen.cli import main

if __name__ == "__main__":
    sys.exit(main())
