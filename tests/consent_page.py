"""Approving on Nmbrs's consent page (the sandbox's) in a tour's browser, where the tour itself cannot run."""
import contextlib
import threading
import time
from unittest.mock import patch

from odoo.tests.common import ChromeBrowser

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


class ConsentPageMixin:
    """For tours of a test class with a sandbox (NmbrsTourCase): ``with self.approving_in_browser(debtor):``."""

    def _approve_in_browser(self, browsers, debtor, stop):
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

    @contextlib.contextmanager
    def approving_in_browser(self, debtor):
        """While the block runs a tour, approve ``debtor`` on Nmbrs's consent page once the browser shows it."""
        browsers, stop = [], threading.Event()
        original_init = ChromeBrowser.__init__

        def recording_init(browser, *args, **kwargs):
            original_init(browser, *args, **kwargs)
            browsers.append(browser)

        helper = threading.Thread(target=self._approve_in_browser, args=(browsers, debtor, stop), daemon=True)
        with patch.object(ChromeBrowser, '__init__', recording_init):
            helper.start()
            try:
                yield
            finally:
                stop.set()
                helper.join()
