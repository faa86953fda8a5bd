"""Present only for scrapyd-deploy, which builds its egg with ``setup.py bdist_egg``.

All metadata, including the ``scrapy`` entry point Scrapyd reads, is in pyproject.toml.
"""

from setuptools import setup

setup()
