"""The building box: configuration, storage, the domain and the box's processes."""

__version__ = "0.1.0"
