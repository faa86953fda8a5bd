"""The SQLAlchemy store: models, engine, batched writer and per-film summaries."""
