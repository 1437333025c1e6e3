"""Paths to one loaded input: files, rendered charts and kustomizations, git revisions, application roots."""
