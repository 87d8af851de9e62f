import threading
import time

from odoo import sql_db
from odoo.tests import TransactionCase, tagged

from ..models.nmbrs_rate_limit import SharedRateLimiter
from .common import NmbrsSandboxCase


@tagged('post_install', '-at_install')
class TestSharedRateLimiter(TransactionCase):
    """One rate per Nmbrs environment for every worker of the database, each with its own connection."""

    def setUp(self):
        super().setUp()
        self.environment = 'test %s %s' % (self.id(), time.time())
        self.addCleanup(self._forget, self.environment)

    def _forget(self, environment):
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute("DELETE FROM nmbrs_rate_limit WHERE environment LIKE %s", [environment + '%'])

    def _calls_in_threads(self, limiters, calls):
        """Let each limiter, in a thread of its own (as a worker would), wait for ``calls`` calls;
        return the moments the calls may go out."""
        moments, lock = [], threading.Lock()

        def worker(limiter):
            for _call in range(calls):
                limiter.wait()
                with lock:
                    moments.append(time.time())

        threads = [threading.Thread(target=worker, args=(limiter,)) for limiter in limiters]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sorted(moments)

    def test_workers_of_one_environment_share_the_rate(self):
        rate = 20
        workers = [SharedRateLimiter(self.env.cr.dbname, self.environment, rate) for _worker in range(2)]
        moments = self._calls_in_threads(workers, calls=8)
        self.assertEqual(len(moments), 16)
        # Together, not each on its own, at most one call per 1/rate seconds: the k-th call goes out
        # k/rate seconds after the first at the earliest (less a few ms for the clock).
        for index, moment in enumerate(moments):
            self.assertGreater(moment - moments[0], index / rate - 0.01, "call %d" % index)

    def test_each_environment_has_its_own_rate(self):
        busy = SharedRateLimiter(self.env.cr.dbname, self.environment + ' busy', 1)
        quiet = SharedRateLimiter(self.env.cr.dbname, self.environment + ' quiet', 1)
        busy.wait()
        busy.wait()  # a second later
        started = time.time()
        quiet.wait()
        self.assertLess(time.time() - started, 0.5, "another environment does not wait for the busy one")
        started = time.time()
        busy.wait()
        self.assertGreater(time.time() - started, 0.5, "the busy environment still waits its turn")

    def test_the_caller_transaction_is_left_alone(self):
        partner = self.env['res.partner'].create({'name': 'Niet vastgelegd B.V.'})
        self.env.flush_all()
        SharedRateLimiter(self.env.cr.dbname, self.environment, 150).wait()
        with sql_db.db_connect(self.env.cr.dbname).cursor() as other:
            other.execute("SELECT count(*) FROM nmbrs_rate_limit WHERE environment = %s", [self.environment])
            self.assertEqual(other.fetchone()[0], 1, "the slot is committed on the limiter's own connection")
            other.execute("SELECT count(*) FROM res_partner WHERE id = %s", [partner.id])
            self.assertEqual(other.fetchone()[0], 0, "the caller's work is not committed")
        self.assertTrue(partner.exists(), "the caller's transaction goes on")


@tagged('post_install', '-at_install')
class TestClientsShareTheLimit(NmbrsSandboxCase):

    def test_every_client_of_an_environment_takes_its_slots_from_one_row(self):
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute("DELETE FROM nmbrs_rate_limit")
        with self.company._nmbrs_client() as first, self.company._nmbrs_client() as second:
            first.debtors()
            second.debtors()
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute("SELECT environment FROM nmbrs_rate_limit")
            environments = [environment for environment, in cr.fetchall()]
        self.assertEqual(environments, ['%s %s' % (self.sandbox.url, self.company.nmbrs_tenant_key)])
