"""Tools for the people who write templates: check a Word template, write example data."""
