"""Exactly once: two workers booking at the same time, and a worker killed in the middle.

Test cursors share one transaction, so these tests commit in cursors of their
own, like real workers, and remove what they committed afterwards.
"""
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged

from odoo.addons.nmbrs_connector.tests.test_cron_isolation import WorkerKilled

from .booking_case import setup_booking, store_run
from .test_journal_booking import GROSS, NET, WAGE_TAX

OWN_NMBRS_COMPANY = 77001


@tagged('post_install', '-at_install')
class TestBookingWorkers(BaseCase):

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        env = self.worker()
        company = env.company
        saved = company._convert_to_write(company.read([
            'nmbrs_book_journals', 'nmbrs_journal_id', 'nmbrs_book_from', 'nmbrs_responsible_user_id'])[0])
        self.addCleanup(self.remove_committed, saved)
        company.partner_id.nmbrs_company_id = OWN_NMBRS_COMPANY
        accounts, _journal = setup_booking(env, company)
        self.run_id = store_run(env, company, [GROSS, WAGE_TAX, NET]).id
        # Listed and mapped beforehand: what the workers race for is the run.
        env['nmbrs.ledger.mapping']._nmbrs_mappings(company, {'ledger': {'4000': '', '1600': '', '1610': ''}})
        env.cr.commit()
        self.accounts = accounts

    def worker(self):
        cursor = self.registry.cursor()
        self.addCleanup(cursor.close)
        return api.Environment(cursor, SUPERUSER_ID, {})

    def moves(self, env):
        env.cr.rollback()  # a new snapshot: what the workers committed
        env.invalidate_all()
        return env['account.move'].search([('nmbrs_run_id', '=', self.run_id)])

    def test_two_workers_book_a_run_once(self):
        first, second = self.worker(), self.worker()
        move = first['nmbrs.run'].browse(self.run_id)._nmbrs_book()
        self.assertTrue(move, "the first worker books the run and holds its row until it commits")
        self.assertIsNone(second['nmbrs.run'].browse(self.run_id)._nmbrs_book(), "the second one passes it by")
        second['nmbrs.run']._cron_nmbrs_book_journals()
        first.cr.commit()
        second['nmbrs.run']._cron_nmbrs_book_journals()
        self.assertEqual(len(self.moves(self.worker())), 1)

    def test_a_worker_killed_while_booking_leaves_the_run_to_the_next(self):
        NmbrsRun = type(self.worker()['nmbrs.run'])
        create_move = NmbrsRun._nmbrs_create_move

        def killed(run, *args):
            create_move(run, *args)
            raise WorkerKilled()

        with patch.object(NmbrsRun, '_nmbrs_create_move', killed), self.assertRaises(WorkerKilled), \
                self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})['nmbrs.run']._cron_nmbrs_book_journals()
        env = self.worker()
        self.assertFalse(self.moves(env), "nothing of the killed worker's run was committed")
        self.assertEqual(env['nmbrs.run'].browse(self.run_id).nmbrs_booking_state, 'to_book')

        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})['nmbrs.run']._cron_nmbrs_book_journals()
        moves = self.moves(env)
        self.assertEqual(len(moves), 1)
        self.assertEqual(env['nmbrs.run'].browse(self.run_id).move_id, moves)

    def remove_committed(self, saved):
        env = self.worker()
        env.cr.rollback()
        company = env.company
        env['account.move'].search([('nmbrs_run_id', '=', self.run_id)]).unlink()
        run = env['nmbrs.run'].browse(self.run_id)
        documents = env['nmbrs.document'].search([('nmbrs_run_id', '=', run.nmbrs_run_id)])
        env['ir.attachment'].search([('res_model', '=', 'nmbrs.document'), ('res_id', 'in', documents.ids)]).unlink()
        documents.unlink()
        run.unlink()
        env['nmbrs.ledger.mapping'].search([('company_id', '=', company.id)]).unlink()
        company.write(saved)
        env['account.account'].search([('code', 'in', ['4000', '1600', '1610', '1621'])]).unlink()
        company.partner_id.nmbrs_company_id = False
        company.partner_id.activity_ids.unlink()
        env.cr.commit()
