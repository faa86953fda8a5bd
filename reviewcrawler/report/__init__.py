"""The static report (``reviewcrawler report``): an index of films and a page per film.

``data`` reads the store, ``charts`` lays out the SVG, ``writer`` renders the
Jinja2 templates in ``templates/`` and writes the files.
"""

from reviewcrawler.report.writer import ReportResult, write_report

__all__ = ["ReportResult", "write_report"]
