# Dates as German readers expect them: "16. Jan. 2025", "März 2025".
from __future__ import annotations

DATE_FORMAT = "j. N Y"
YEAR_MONTH_FORMAT = "N Y"
DATETIME_FORMAT = "j. N Y, H:i"
