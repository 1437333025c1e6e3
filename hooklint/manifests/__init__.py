"""YAML text to resources with positions, within bounds; walking folders for manifests."""
