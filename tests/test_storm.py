"""A mixed storm on one SQLite file: a real 3-worker gunicorn, and four client processes
reading every kind of public page while they post comments (approved at once for a known
reader, held for new ones), count shares and publish articles through the editor form.

Nothing may fail: no 5xx, no request left without an answer, every acknowledged write in
the database, and the counters on articles equal to a recount of their rows. The outage of
a PostgreSQL server is tests/test_outage.py; a crash in the middle of such a storm is
tests/test_crash_safety.py.
"""

from live_server import running_server
from storm_clients import Storm
from storm_site import STORM_ENV, assert_holds_every_write, assert_served_cleanly, prepared_copy

STORM_SECONDS = 15


def test_mixed_storm_loses_nothing(sqlite_template, tmp_path):
    database, url, site = prepared_copy(sqlite_template, tmp_path, "storm.db")
    with running_server(url, tmp_path, extra_env=STORM_ENV) as server:
        storm = Storm(server.port, site, tmp_path, seconds=STORM_SECONDS)
        tally = storm.finish(within=STORM_SECONDS + 60)
    log = server.log.read_text()
    figures = tally.figures()

    assert_served_cleanly(tally, log, figures)
    assert not tally.errors and not tally.refused, f"{figures}: {tally.errors[:5]}"
    # A storm worth the name: every kind of write happened, many times.
    assert len(tally.comments) >= 10 and sum(tally.shares.values()) >= 10, figures
    assert len(tally.articles) >= 3 and tally.repeats >= 1, figures
    assert {status for _, status in tally.comments.values()} == {"approved", "pending"}, figures

    facts = assert_holds_every_write(tally, database, tmp_path, figures)
    # Exactly what was acknowledged, nothing more: every request was answered.
    seeded = {first_id for _, _, first_id in site.articles}
    assert set(facts.comments) == set(tally.comments) | seeded, figures
    assert facts.tallies == dict(tally.shares), figures
    assert len(facts.published) == len(site.articles) + len(tally.articles), figures
    print(f"storm: {figures}; lost writes 0")
