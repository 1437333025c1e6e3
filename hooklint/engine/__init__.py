"""Running the rules over one input, in one process or several."""
