"""``python -m appliance.services.rooms <settings as JSON>``: the rooms process alone.

``residacoeur box rooms`` reads and checks the settings, then becomes this process
(``service.become_rooms``).
"""

import json
import sys

from appliance.services.rooms import service

service.serve(json.loads(sys.argv[1]))
