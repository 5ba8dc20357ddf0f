"""Ids of the platforms page (pages/platforms.py, callbacks/platforms.py)."""

EMPTY = "plat-empty"
BODY = "plat-body"
ROAS = "plat-roas"
CAC = "plat-cac"
CAC_NOTE = "plat-cac-note"
SHARE = "plat-share"
ENGAGEMENT = "plat-engagement"
ENGAGEMENT_NOTE = "plat-engagement-note"
SOURCE = "plat-source"

PLATFORM_TABLE = "platforms"
SOURCE_TABLE = "sources"
