"""Engines an import can run its work on sales rows on: DuckDB (warehouse/importer.py) or Spark (spark.py)."""
