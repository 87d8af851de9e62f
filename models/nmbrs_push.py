from odoo import api, fields, models


class NmbrsPush(models.Model):
    """A relation whose changes wait to be sent to Nmbrs (outgoing sync with direct sync).

    Saving a relation only queues it: the cron sends the queue at once, in the
    background, so no user waits for Nmbrs and a list edit of many relations is
    one quick save. One entry per relation and Odoo company, holding every
    user whose change it carries; entries that two saves made at the same moment
    are merged when sent.
    """
    _name = 'nmbrs.push'
    _description = 'Relation waiting to be sent to Nmbrs'
    _order = 'id'

    company_id = fields.Many2one('res.company', 'Company', required=True, index=True, ondelete='cascade')
    partner_id = fields.Many2one('res.partner', 'Relation', required=True, ondelete='cascade')
    user_ids = fields.Many2many('res.users', string='Changed by')

    @api.model
    def _nmbrs_queue(self, company, partners):
        """Queue ``partners`` (changed by the current user) for ``company``'s Nmbrs and wake the cron."""
        queue = self.sudo()
        user = self.env.user
        pending = queue.search([('company_id', '=', company.id), ('partner_id', 'in', partners.ids)])
        queued = pending.partner_id
        pending.filtered(lambda push: user not in push.user_ids).user_ids = [fields.Command.link(user.id)]
        queue.create([{'company_id': company.id, 'partner_id': partner.id, 'user_ids': [fields.Command.link(user.id)]}
                      for partner in partners - queued])
        self.env.ref('nmbrs_connector.ir_cron_nmbrs_push').sudo()._trigger()

    @api.model
    def _cron_nmbrs_send(self):
        """Send every queued relation to Nmbrs, committing after each one."""
        pending = self.search([])
        cron = self.env['ir.cron']
        relations = {(push.company_id, push.partner_id) for push in pending}
        cron._commit_progress(remaining=len(relations))
        for company in pending.company_id:
            partners = pending.filtered(lambda push: push.company_id == company).partner_id
            partners = partners.with_company(company).with_context(active_test=False)
            # A change by an internal user releases a relation held for a portal user's change.
            stopped = partners._nmbrs_push_to_nmbrs(release_held=True, after_each=lambda: cron._commit_progress(1))
            if stopped:
                return
