"""The articles table (Parquet, ``<output>/table/``), its DuckDB views
(``<output>/newscrawl.duckdb``) and the Parquet feed exporter: derived from the runs' JSON lines,
which stay the record of each run."""
