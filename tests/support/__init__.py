"""Real servers and clients that tests start and stop themselves."""
