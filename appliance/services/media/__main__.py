"""``python -m appliance.services.media <settings as JSON>``: the media process alone.

``residacoeur box media`` reads the settings, then becomes this process
(``service.become_media``).
"""

import json
import sys

from appliance.services.media import service
from appliance.systemd_notify import SystemdNotifier

notifier = SystemdNotifier.from_environment()
service.serve(json.loads(sys.argv[1]), notifier.ready, notifier.alive)
