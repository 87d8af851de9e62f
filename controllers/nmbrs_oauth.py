from odoo import http
from odoo.http import request

from ..models.res_company_rest import CALLBACK_PATH

CONSENTS_URL = '/odoo/nmbrs-consents'


class NmbrsOAuthController(http.Controller):

    @http.route(CALLBACK_PATH, type='http', auth='user', methods=['GET'], readonly=False)
    def nmbrs_oauth_callback(self, state=None, **_answer):
        """Where Nmbrs sends the user after the consent page (``code`` and ``state``, or ``error``).

        Only the user who asked, within a few minutes, for the consent row the
        state belongs to gets it: then the code is exchanged at once and the
        user lands on the consent, which says what happened.
        """
        consent = request.env['nmbrs.consent']._nmbrs_of_oauth_state(state)
        if not consent:
            return request.render('nmbrs_connector.nmbrs_oauth_callback_refused', {'consents_url': CONSENTS_URL})
        consent._nmbrs_complete_authorization(request.httprequest.url)
        return request.redirect('%s/%d' % (CONSENTS_URL, consent.id))
