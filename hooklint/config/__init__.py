"""Settings: the configuration file, suppressions and baselines."""
