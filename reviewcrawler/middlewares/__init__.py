"""Downloader and spider middlewares: fault handling, ban detection, per-page yield stats."""
