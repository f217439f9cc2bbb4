"""Junction: a strategic territory simulation of the Syrian front, December 2024."""
