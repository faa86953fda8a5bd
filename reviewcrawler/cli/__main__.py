"""``python -m reviewcrawler.cli``: the ``reviewcrawler`` command without the installed script."""

from reviewcrawler.cli.main import main

main(prog_name="reviewcrawler")
