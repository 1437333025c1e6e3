"""Applying the rules' fixes to files, and showing them."""
