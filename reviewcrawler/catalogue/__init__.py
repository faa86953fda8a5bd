"""A site's whole catalogue: the titles it lists, which of them are due, and why.

* ``due.py``: the due rule (new, changed, failed, stale) and the maximum ages;
* listings are read by formats (formats/metacritic_finder.py), never here.
"""
