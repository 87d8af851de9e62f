import contextlib
import functools
import importlib.util
import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

import polib

from odoo.tests import BaseCase, HttpCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import _super_send
from odoo.tools.misc import file_path

from ..nmbrs.sandbox import NmbrsSandbox, demo_dataset


class LocalHttpMixin:
    """Lets the Nmbrs client reach servers on 127.0.0.1 with its own timeouts.

    Odoo's test guard only lets float timeouts through; the client sets
    separate connect and read timeouts, which matter for the fault tests.
    Every other host stays blocked.
    """

    @classmethod
    def _request_handler(cls, session, request, /, **kwargs):
        if urlsplit(request.url).hostname == '127.0.0.1':
            return _super_send(session, request, **kwargs)
        return super()._request_handler(session, request, **kwargs)


@tagged('post_install', '-at_install')
class PlainCase(LocalHttpMixin, BaseCase):
    """A test of the plain-Python Nmbrs package (client, sandbox): no database.

    Both runners run it: Odoo's (``--test-enable``) and pytest-odoo.
    """

    @contextlib.contextmanager
    def capture_logs(self, *loggers):
        """``assertLogs()`` of everything, down to DEBUG, with the named loggers at DEBUG meanwhile.

        Odoo sets the level of its 'odoo' logger, which would keep the addon's
        DEBUG records from reaching the capture.
        """
        loggers = [logging.getLogger(name) for name in loggers]
        levels = [logger.level for logger in loggers]
        for logger in loggers:
            logger.setLevel(logging.DEBUG)
        try:
            with self.assertLogs(level=logging.DEBUG) as logs:
                yield logs
        finally:
            for logger, level in zip(loggers, levels):
                logger.setLevel(level)


class PlainSandboxCase(PlainCase):
    """Plain-Python tests against local Nmbrs sandboxes (real HTTP servers on 127.0.0.1, demo dataset).

    ``shared_sandbox`` serves the whole class, for tests that only read;
    ``fresh_sandbox()`` starts one for the test alone, for tests that change
    its data or knobs.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shared_sandbox = NmbrsSandbox(demo_dataset()).start()
        cls.addClassCleanup(cls.shared_sandbox.stop)

    def fresh_sandbox(self):
        sandbox = NmbrsSandbox(demo_dataset()).start()
        self.addCleanup(sandbox.stop)
        return sandbox


class NmbrsSandboxMixin(LocalHttpMixin):
    """Gives a test class its own local Nmbrs sandbox.

    The sandbox is a real HTTP server on 127.0.0.1 with the demo dataset; each
    class gets a fresh one, so tests may change its data and fault knobs.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = NmbrsSandbox(cls._nmbrs_dataset()).start()
        cls.addClassCleanup(cls.sandbox.stop)
        cls.company = cls.env.company

    @classmethod
    def _nmbrs_dataset(cls):
        return demo_dataset()

    @classmethod
    def connect_company(cls, company, sandbox):
        credentials = sandbox.credentials
        company.write({
            'nmbrs_username': credentials.username,
            'nmbrs_token': credentials.token,
            'nmbrs_tenant_key': credentials.domain,
            'nmbrs_environment': 'custom',
            'nmbrs_api_url': sandbox.url,
            'nmbrs_state': 'connected',
        })

    @classmethod
    def connect_company_rest(cls, company, sandbox):
        """Enter the sandbox's REST app in ``company``; the sandbox accepts Odoo's callback URL as redirect."""
        credentials = sandbox.rest_credentials
        company.write({
            'nmbrs_rest_client_id': credentials.client_id,
            'nmbrs_rest_client_secret': credentials.client_secret,
            'nmbrs_rest_subscription_key': credentials.subscription_key,
            'nmbrs_rest_environment': 'custom',
            'nmbrs_rest_identity_url': sandbox.identity_url,
            'nmbrs_rest_api_url': sandbox.rest_url,
        })
        sandbox.identity.register_app(credentials.client_id, credentials.client_secret,
                                      [credentials.redirect_uri, company._nmbrs_rest_callback_url()])

    @classmethod
    def give_rest_consent(cls, company, sandbox, debtors):
        """An active consent of ``company`` for ``debtors`` (sandbox records), as the callback leaves it: the
        code exchanged with the sandbox, the debtors read from Nmbrs and their relations given their REST ids."""
        identity = company._nmbrs_identity()
        request = identity.authorization_request()
        callback = sandbox.identity.approve(request.url, [debtor.id for debtor in debtors])
        tokens = identity.exchange_code(identity.code_from_callback(callback, request.state), request.code_verifier)
        consent = company.env['nmbrs.consent'].create({'company_id': company.id, 'state': 'active'})
        consent._nmbrs_store_tokens(tokens)
        ok, message = consent._nmbrs_read_debtors()
        if not ok:
            raise AssertionError(message)
        return consent

    def setUp(self):
        super().setUp()
        self.sandbox.faults.clear()
        self.sandbox.calls.clear()


class NmbrsSandboxCase(NmbrsSandboxMixin, TransactionCase):
    """A test case whose company is connected to its own local Nmbrs sandbox.

    The company writes English: what the sync stores (file names, notes,
    To-Dos, log lines) is in its partner's language, and the test database
    has Dutch installed.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company(cls.company, cls.sandbox)
        cls.company.partner_id.lang = 'en_US'


class NmbrsTourCase(NmbrsSandboxMixin, HttpCase):
    """Browser tours against the local Nmbrs sandbox, run as an English and as a Dutch user.

    The Dutch run also checks that no English term of the addon is on the
    screen (see nmbrs_tour_utils.js): the terms are every msgid of nl.po whose
    translation differs, handed to the browser before the tour starts.
    """

    LANGUAGES = ('en_US', 'nl_NL')
    # The addons whose English terms a Dutch screen must not show.
    TRANSLATED_MODULES = ('nmbrs_connector',)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env['res.lang']._lang_get('nl_NL'):
            raise AssertionError("Dutch (nl_NL) is not installed: scripts/test.sh installs it in the template")
        cls.tour_users = {
            'en_US': cls.env.ref('base.user_admin'),
            'nl_NL': new_test_user(
                cls.env, login='beheerder', name='Beheerder', lang='nl_NL', tz='Europe/Amsterdam',
                groups='base.group_system,base.group_partner_manager,nmbrs_connector.group_nmbrs_manager'),
        }
        cls.tour_users['en_US'].lang = 'en_US'
        # A Dutch office: Odoo's default name "My Company" would read as an English term on a Dutch screen,
        # and what the sync stores (file names, log lines) is in the company's language.
        cls.company.name = 'Administratiekantoor Voorbeeld B.V.'
        cls.company.partner_id.lang = 'nl_NL'

    def start_nmbrs_tour(self, url, tour, lang, **kwargs):
        """Run ``tour`` at ``url`` logged in as the user of ``lang``."""
        user = self.tour_users[lang]
        terms = json.dumps(sorted(set().union(*map(english_terms, self.TRANSLATED_MODULES)))
                           if lang != 'en_US' else [])
        code = 'window.nmbrsEnglishTerms = %s; odoo.startTour(%s, %s)' % (
            terms, json.dumps(tour), json.dumps({'stepDelay': 0, 'startUrl': url}))
        try:
            self.start_tour(url, tour, login=user.login, code=code, **kwargs)
        except AssertionError as failure:
            # Odoo repeats the started code in the message: leave out the long list of terms.
            raise AssertionError('%s (user language %s)' % (str(failure).replace(terms, '[...]'), lang)) from None

    def for_each_language(self):
        """Yield each language as a subtest, with the sandbox's faults and calls reset."""
        for lang in self.LANGUAGES:
            with self.subTest(lang=lang):
                self.sandbox.faults.clear()
                self.sandbox.calls.clear()
                try:
                    yield lang
                except GeneratorExit:
                    # The caller's loop failed and closes this generator: its own
                    # error is the one to report, not the GeneratorExit.
                    return


@functools.cache
def english_terms(module='nmbrs_connector'):
    """The addon's English terms that Dutch says otherwise, without placeholders or line breaks."""
    terms = set()
    for entry in polib.pofile(file_path(f'{module}/i18n/nl.po')):
        source, translation = entry.msgid, entry.msgstr
        if not entry.obsolete and translation and translation.lower() != source.lower() and '%' not in source and '\n' not in source:
            terms.add(source.strip())
    return sorted(term for term in terms if len(term) > 3)


def run_migration(env, script, from_version, name):
    """Run the upgrade script migrations/<script> on ``env``'s cursor, as Odoo's upgrade from ``from_version``
    does; ``name`` is its module (and logger) name."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).parents[1] / 'migrations' / script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.migrate(env.cr, from_version)
    env.invalidate_all()
