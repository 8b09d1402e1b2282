"""The processes that assemble the core, the web, the link and provisioning into a box or
a hub: the command line, the web service, the supervisor, the demo, and the box's
services."""
