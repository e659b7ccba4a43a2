"""The resource database: models, engine and migrations."""
