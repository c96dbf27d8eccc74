"""`python -m ctlake` runs the command line."""

from ctlake.cli.app import main

main()
