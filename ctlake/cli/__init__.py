"""The `ctlake` command line: thin Typer commands over the library, one module a group."""
