"""Project versions of Scrapy commands (see COMMANDS_MODULE in settings.py)."""
