"""``python -m appliance.services.announce <offer as JSON> <interface>``: the announcer alone.

``residacoeur box announce`` reads and checks the settings, then becomes this process
(``announcer.become_announcer``).
"""

import json
import sys

from appliance.services.announce import announcer
from appliance.services.announce.offer import Offer

announcer.serve(Offer(**json.loads(sys.argv[1])), sys.argv[2])
