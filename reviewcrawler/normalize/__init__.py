"""Pure normalizers: page text in, typed values out. Used by pipelines/normalize.py."""
