# Dates as analysts write them in English: "16 Jan 2025", "Jan 2025".
from __future__ import annotations

DATE_FORMAT = "j M Y"
YEAR_MONTH_FORMAT = "M Y"
DATETIME_FORMAT = "j M Y, H:i"
