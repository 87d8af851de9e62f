-- A copied or staging database must never pull from or push to Nmbrs:
-- forget every company's API token, REST app secrets and consent tokens, and stop the Nmbrs crons.
UPDATE res_company
   SET nmbrs_token = NULL,
       nmbrs_rest_client_id = NULL,
       nmbrs_rest_client_secret = NULL,
       nmbrs_rest_subscription_key = NULL,
       nmbrs_state = 'disconnected',
       nmbrs_direct_sync = FALSE;

UPDATE nmbrs_consent
   SET access_token = NULL,
       refresh_token = NULL,
       oauth_state = NULL,
       oauth_code_verifier = NULL,
       state = CASE WHEN state = 'revoked' THEN state ELSE 'renew' END;

UPDATE ir_cron
   SET active = FALSE
 WHERE id IN (SELECT res_id FROM ir_model_data WHERE module = 'nmbrs_connector' AND model = 'ir.cron');
