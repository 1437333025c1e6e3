"""Small pieces every layer may use: frozen values, lazy attributes, escaping, processes, files."""
