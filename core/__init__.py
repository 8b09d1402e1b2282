"""The core that boxes and the hub share: the domain's rules, storage, configuration and
secrets. It knows nothing of the web, the link or provisioning, which are built on it."""

__version__ = "0.1.0"
