"""Privacy keeps no tables of its own: the access record lives with the private text it
records (mutualaid.aid.models.PrivateAccess).
"""
