"""Data-quality monitors run when a crawl closes (Spidermon), and the item schemas they check."""
