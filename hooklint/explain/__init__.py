"""The plan and the what-if questions rendered for people and machines."""
