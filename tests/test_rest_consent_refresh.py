"""Keeping Nmbrs consents alive across workers: serialised refreshes, the regular renewal, lapsed consents.

Refreshes commit in cursors of their own, as in production, so these tests
commit their set-up in cursors of their own too, like real workers, and
remove what they committed afterwards.
"""
import threading
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged

from ..models.nmbrs_consent import TOKEN_FIELDS
from .common import NmbrsSandboxMixin

REST_FIELDS = ['nmbrs_rest_client_id', 'nmbrs_rest_client_secret', 'nmbrs_rest_subscription_key',
               'nmbrs_rest_environment', 'nmbrs_rest_identity_url', 'nmbrs_rest_api_url']


@tagged('post_install', '-at_install')
class TestConsentRefresh(NmbrsSandboxMixin, TransactionCase):

    def setUp(self):
        super().setUp()
        cursor = self.registry.cursor()
        self.addCleanup(cursor.close)
        self.committed = api.Environment(cursor, SUPERUSER_ID, {})
        company = self.company.with_env(self.committed)
        saved = company._convert_to_write(company.read(REST_FIELDS)[0])
        self.addCleanup(self.remove_committed, saved)
        self.connect_company_rest(company, self.sandbox)
        self.committed.cr.commit()
        self.debtors = sorted(self.sandbox.dataset.debtors.values(), key=lambda debtor: debtor.id)

    def remove_committed(self, saved):
        env = self.committed
        env.cr.rollback()
        env['nmbrs.consent'].search([('company_id', '=', self.company.id)]).unlink()
        self.company.with_env(env).write(saved)
        env.cr.commit()

    def give(self, debtors):
        """A committed active consent for ``debtors``, as the callback leaves it."""
        env = self.committed
        company = self.company.with_env(env)
        identity = company._nmbrs_identity()
        request = identity.authorization_request()
        callback = self.sandbox.identity.approve(request.url, [debtor.id for debtor in debtors])
        tokens = identity.exchange_code(identity.code_from_callback(callback, request.state), request.code_verifier)
        consent = env['nmbrs.consent'].create({
            'company_id': company.id, 'state': 'active', 'given_date': fields.Datetime.now(),
            'debtor_ids': [fields.Command.create({'nmbrs_debtor_guid': 'guid-%d' % debtor.id, 'number': debtor.number,
                                                  'name': debtor.name}) for debtor in debtors]})
        consent._nmbrs_store_tokens(tokens)
        env.cr.commit()
        return consent

    def reread(self):
        """See what the workers committed."""
        self.committed.cr.rollback()
        self.committed.invalidate_all()

    def run_cron(self):
        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})['nmbrs.consent']._cron_nmbrs_refresh_consents()
        self.reread()

    def todos(self, consent, failure):
        return consent.activity_ids.filtered(lambda activity: activity.nmbrs_failure == failure)

    def assertWorks(self, consent):
        with consent._nmbrs_client(max_retries=0) as client:
            self.assertTrue(client.user_info())

    def test_two_workers_refreshing_one_consent_at_once_both_get_the_new_pair(self):
        consent = self.give(self.debtors[:1])
        stale = consent._nmbrs_tokens()
        refresh = consent._nmbrs_refresher()
        start, results, failures = threading.Barrier(2), [], []

        def worker():
            start.wait()
            try:
                results.append(refresh(stale))
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                failures.append(error)

        workers = [threading.Thread(target=worker) for _ in range(2)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join(30)
        self.assertEqual(failures, [])
        self.assertEqual(len({pair.refresh_token for pair in results}), 1, "refreshed once, used by both")
        self.assertNotEqual(results[0].refresh_token, stale.refresh_token)
        self.reread()
        self.assertEqual(consent.sudo().refresh_token, results[0].refresh_token, "committed before it was used")
        self.assertEqual(consent.state, 'active')
        self.assertFalse(self.sandbox.identity.consents[-1].revoked)
        self.assertWorks(consent)

    def test_a_reused_refresh_token_gives_one_todo_naming_the_debtor_and_the_others_carry_on(self):
        lapsing = self.give(self.debtors[:1])
        healthy = self.give(self.debtors[1:2])
        before = healthy.sudo().refresh_token
        # Someone holds a copy of the refresh token and used it: Nmbrs revokes the whole chain when Odoo uses it too.
        self.company.with_env(self.committed)._nmbrs_identity().refresh(lapsing.sudo().refresh_token)

        self.run_cron()
        self.run_cron()

        self.assertEqual(lapsing.state, 'renew')
        self.assertFalse(any(lapsing.sudo()[field] for field in TOKEN_FIELDS))
        self.assertEqual(lapsing.debtor_ids.mapped('number'), [self.debtors[0].number], "nothing lost")
        todo = self.todos(lapsing, 'consent')
        self.assertEqual(len(todo), 1)
        self.assertIn(self.debtors[0].name, todo.note)
        self.assertEqual(healthy.state, 'active')
        self.assertNotEqual(healthy.sudo().refresh_token, before, "renewed although nothing was imported")
        self.assertFalse(healthy.activity_ids)
        self.assertWorks(healthy)

    def test_a_consent_spanning_two_debtors_is_renewed_as_one(self):
        consent = self.give(self.debtors[:2])
        before = consent.sudo().refresh_token
        self.run_cron()
        self.assertEqual((consent.state, len(consent.debtor_ids)), ('active', 2))
        self.assertNotEqual(consent.sudo().refresh_token, before)
        with consent._nmbrs_client(max_retries=0) as client:
            self.assertEqual(len(client.debtors()), 2)

    def test_the_responsible_user_is_warned_a_week_before_a_consent_lapses(self):
        consent = self.give(self.debtors[:1])
        consent.refresh_expires_at = fields.Datetime.now() + timedelta(days=3)
        company = self.company.with_env(self.committed)
        company.nmbrs_rest_identity_url = 'http://127.0.0.1:9/identity'
        self.committed.cr.commit()

        self.run_cron()
        self.run_cron()

        warning = self.todos(consent, 'consent_lapsing')
        self.assertEqual(len(warning), 1)
        self.assertIn(self.debtors[0].name, warning.note)
        self.assertEqual(consent.state, 'active', "not lapsed yet: the consent still works")

        company.nmbrs_rest_identity_url = self.sandbox.identity_url
        self.committed.cr.commit()
        self.run_cron()
        self.assertFalse(self.todos(consent, 'consent_lapsing'), "renewed: the warning is done")
        self.assertGreater(consent.refresh_expires_at, fields.Datetime.now() + timedelta(days=20))
