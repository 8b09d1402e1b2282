"""``python -m appliance.cli``, as the demo starts its processes (appliance/demo/processes.py)."""

from appliance.cli import main

main()
