-- A copied or staging database must never pull from or push to Nmbrs:
-- forget every company's API token and stop the Nmbrs crons.
UPDATE res_company
   SET nmbrs_token = NULL,
       nmbrs_state = 'disconnected',
       nmbrs_direct_sync = FALSE;

UPDATE ir_cron
   SET active = FALSE
 WHERE id IN (SELECT res_id FROM ir_model_data WHERE module = 'nmbrs_connector' AND model = 'ir.cron');
