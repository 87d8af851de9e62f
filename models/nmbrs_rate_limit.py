import time

from odoo import fields, models, sql_db

# Each call takes the next free slot of its environment: the later of the row's
# next slot and now. The row then points one interval further. The answer is how
# long this call waits for its slot (negative: not at all).
TAKE_SLOT = """
    INSERT INTO nmbrs_rate_limit AS rate (environment, next_slot)
         VALUES (%(environment)s, (clock_timestamp() AT TIME ZONE 'UTC') + %(interval)s * INTERVAL '1 second')
    ON CONFLICT (environment) DO UPDATE
            SET next_slot = GREATEST(rate.next_slot, clock_timestamp() AT TIME ZONE 'UTC')
                            + %(interval)s * INTERVAL '1 second'
      RETURNING EXTRACT(EPOCH FROM rate.next_slot - %(interval)s * INTERVAL '1 second'
                                   - (clock_timestamp() AT TIME ZONE 'UTC'))
"""


class NmbrsRateLimit(models.Model):
    """When the next call to each Nmbrs environment may leave, for every worker and server of the database.

    Only SharedRateLimiter reads and writes it, with SQL of its own.
    """
    _name = 'nmbrs.rate.limit'
    _description = 'Next call slot of a Nmbrs environment'
    _log_access = False

    environment = fields.Char('Nmbrs environment', required=True, readonly=True)
    next_slot = fields.Datetime('Next call at', required=True, readonly=True)

    _environment_once = models.Constraint('UNIQUE(environment)', "One row per Nmbrs environment.")


class SharedRateLimiter:
    """Spaces the calls to one Nmbrs environment at least 1/calls_per_second apart, across processes.

    Nmbrs allows about 150 calls per second per environment, whoever makes them:
    every cron worker, HTTP worker and server of the database shares this limit
    through its row in nmbrs_rate_limit. Each ``wait()`` takes its slot in a
    short transaction of its own on a connection of its own, never the caller's,
    so it neither sees nor commits nor holds up the caller's work. Thread-safe:
    nothing is kept between calls.
    """

    def __init__(self, dbname, environment, calls_per_second):
        self.dbname = dbname
        self.environment = environment
        self.interval = 1.0 / calls_per_second

    def __repr__(self):
        return '<SharedRateLimiter %s %.1f/s>' % (self.environment, 1 / self.interval)

    def wait(self):
        with sql_db.db_connect(self.dbname).cursor() as cr:
            # Read committed: the update then waits for a concurrent one and builds on it, where
            # Odoo's repeatable read would fail with a serialization error.
            cr.execute('SET TRANSACTION ISOLATION LEVEL READ COMMITTED')
            cr.execute(TAKE_SLOT, {'environment': self.environment, 'interval': self.interval})
            delay = float(cr.fetchone()[0])
        if delay > 0:
            time.sleep(delay)
