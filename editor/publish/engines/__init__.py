"""Blog engines: one module per blog API behind the interface in `base.py`."""
