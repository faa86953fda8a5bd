"""Item pipelines, in the order they run: normalize (300), dedupe (400), store (800)."""
