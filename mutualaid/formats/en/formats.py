# "5 March 2026": a member's joining day.
DATE_FORMAT = "j F Y"
# "Thursday 5 March": a day this week or the next (a need's needed-by day).
MONTH_DAY_FORMAT = "l j F"
# "Thursday 5 March, 14:30": a deadline.
DATETIME_FORMAT = "l j F, H:i"
