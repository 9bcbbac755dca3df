# "5 de marzo de 2026": a member's joining day.
DATE_FORMAT = r"j \d\e F \d\e Y"
# "jueves 5 de marzo": a day this week or the next (a need's needed-by day).
MONTH_DAY_FORMAT = r"l j \d\e F"
# "jueves 5 de marzo, 14:30": a deadline.
DATETIME_FORMAT = r"l j \d\e F, H:i"
# A date field is an <input type="date">, which shows and sends ISO dates in every language: that
# format first, or a form would be given "05/03/2026", which the browser shows as no date at all.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
