"""The editor area at /editor/: the newsroom's login, writing, publishing and admin pages."""
