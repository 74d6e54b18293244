"""The runner's day. Every day the coach talks about (today, tomorrow, "on Saturday", yesterday's workout, this week,
a streak, the day a part was sore) is a date on the runner's own clock: the moment, as the skill keeps moments (aware,
in UTC), seen in the runner's time zone. Stored times stay in UTC; only a day is local.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC_ZONE = "UTC"
# Longer than any IANA name ("America/Argentina/ComodRivadavia" is 32): anything longer is not one.
MAX_ZONE_NAME = 64


def zone(name: object) -> ZoneInfo | None:
    """The IANA time zone `name` names ("America/Los_Angeles"), or None when it names none known here (tzdata from
    PyPI, when the system has no zone files)."""
    if not isinstance(name, str) or not name or len(name) > MAX_ZONE_NAME:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # unknown, not a relative key, or a folder of zones
        return None


def local_day(moment: datetime, zone_name: str) -> str:
    """The date (ISO) on the runner's clock at `moment` in the zone `zone_name` (a name `zone` knows)."""
    return moment.astimezone(ZoneInfo(zone_name)).date().isoformat()
