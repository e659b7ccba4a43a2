"""The curated resource dataset: its schema, reading and validating files, import and export."""
