"""HL0xx: input and annotations, each module named for the ids it holds."""
