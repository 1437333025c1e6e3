"""HL1xx: the hook lifecycle, each module named for the ids it holds."""
