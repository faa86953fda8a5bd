"""Pure normalizers: page text in, typed values out.

Applied to a page by items.py, which pipelines/normalize.py and parse workers use.
"""
