"""Moving a site in from WordPress or Ghost.

A reader (wordpress.py, ghost.py) streams an export into the neutral records of
records.py; markup.py turns their HTML into Byline's Markdown; the loader (loader.py)
writes them through the services, one whole item per commit, remembering each source id
(ImportedItem) and each old address (OldUrl); report.py tells the editor what happened.
"""
