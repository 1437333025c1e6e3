"""HL3xx: hook hygiene, each module named for the ids it holds."""
