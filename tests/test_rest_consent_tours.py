import threading
import time
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from .common import NmbrsTourCase

# Run on Nmbrs's consent page in the tour's browser: pick one debtor, approve.
APPROVE_ON_CONSENT_PAGE = """(() => {
    if (!location.href.startsWith(%(identity)s)) return 'elsewhere';
    const boxes = document.querySelectorAll('input[name=debtor]');
    const approve = document.querySelector('button[value=approve]');
    if (!boxes.length || !approve) return 'loading';
    for (const box of boxes) {
        if (box.checked !== (box.value === %(debtor)s)) box.click();
    }
    approve.click();
    return 'approved';
})()"""


@tagged('post_install', '-at_install')
class TestRestConsentTour(NmbrsTourCase):
    """Add consent → Nmbrs's consent page (the sandbox's) → pick a debtor → back in Odoo, the consent active."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company_rest(cls.company, cls.sandbox)
        cls.debtors = sorted(cls.sandbox.dataset.debtors.values(), key=lambda debtor: debtor.id)
        cls.env['res.partner'].create([
            {'name': debtor.name, 'is_company': True, 'nmbrs_debtor_id': debtor.id,
             'nmbrs_debtor_number': debtor.number} for debtor in cls.debtors])

    def approve_in_browser(self, browsers, debtor, stop):
        """Wait for the tour's browser to show Nmbrs's consent page, then pick ``debtor`` there and approve."""
        expression = APPROVE_ON_CONSENT_PAGE % {'identity': '"%s"' % self.sandbox.identity_url,
                                                'debtor': '"%d"' % debtor.id}
        while not stop.is_set():
            if browsers:
                try:
                    answer = browsers[0]._websocket_request(
                        'Runtime.evaluate', params={'expression': expression, 'returnByValue': True}, timeout=5)
                except Exception:  # noqa: BLE001 - the page may be navigating; ask again
                    answer = None
                if (answer or {}).get('result', {}).get('value') == 'approved':
                    return
            time.sleep(0.2)

    def test_add_consent_in_nmbrs_and_come_back_active(self):
        for index, lang in enumerate(self.for_each_language()):
            self.env['nmbrs.consent'].search([]).unlink()
            debtor = self.debtors[index % len(self.debtors)]
            browsers, stop = [], threading.Event()
            original_init = ChromeBrowser.__init__

            def recording_init(browser, *args, **kwargs):
                original_init(browser, *args, **kwargs)
                browsers.append(browser)

            helper = threading.Thread(target=self.approve_in_browser, args=(browsers, debtor, stop), daemon=True)
            with patch.object(ChromeBrowser, '__init__', recording_init):
                helper.start()
                try:
                    self.start_nmbrs_tour('/odoo/settings#nmbrs_connector', 'nmbrs_connector_rest_consent_tour',
                                          lang)
                finally:
                    stop.set()
                    helper.join()
            consent = self.env['nmbrs.consent'].search([])
            self.assertEqual(consent.state, 'active')
            self.assertEqual(consent.user_id, self.tour_users[lang])
            self.assertEqual(consent.debtor_ids.number, debtor.number)
