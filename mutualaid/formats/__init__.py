"""Dates in each language's own words and order (settings.FORMAT_MODULE_PATH).

Templates name a format (``|date:"DATE_FORMAT"``) instead of spelling one out, so that Spanish
reads "5 de marzo de 2026" where English reads "5 March 2026". Month and day names come from
Django's own catalogs. Only what our pages need is set here; the rest is Django's for the language
(date fields keep ISO dates in every language: see es/formats.py).
"""
