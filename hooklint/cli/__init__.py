"""The command line: one module per verb, the options they share, and exit codes."""
