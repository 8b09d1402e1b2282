"""The link between boxes and the hub: envelope, topic map, broker rules, box agent, hub ingest."""
