"""Trackstar -> DuckDB ELT: the dlt source, the local simulator and the run orchestration."""
