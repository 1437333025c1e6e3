"""HL2xx: ordering and dependencies, each module named for the ids it holds."""
