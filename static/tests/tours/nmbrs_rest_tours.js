import { registry } from "@web/core/registry";
import { noEnglishStep, T } from "@nmbrs_connector/../tests/tours/nmbrs_tour_utils";

// Off to Nmbrs's consent page from Settings and back (the test approves there): the consent active.
const giveConsentSteps = () => [
        {
            content: "add a consent: off to Nmbrs's consent page",
            trigger: "button[name='action_nmbrs_add_consent']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "back in Odoo after approving in Nmbrs: the consent is active",
            trigger: `.o_statusbar_status .o_arrow_button_current:contains(${T("Active", "Actief")})`,
        },
];

// An accountant asks a debtor's consent for Nmbrs REST from Settings. On Nmbrs's consent page (the
// sandbox's, driven by the test: another site, where the tour does not run) the debtor is picked and
// approved; Nmbrs sends the browser back to Odoo, which shows the consent active.
registry.category("web_tour.tours").add("nmbrs_connector_rest_consent_tour", {
    url: "/odoo/settings#nmbrs_connector",
    steps: () => [
        {
            content: "the callback URL to register in the Nmbrs partner portal is shown",
            trigger: "div[name='nmbrs_rest_callback_url']:contains(/nmbrs/oauth/callback)",
        },
        {
            content: "no consent yet: neither debtor of the linked relations is on REST",
            trigger: `div[name='nmbrs_rest_progress']:contains(${T(
                "Nmbrs ends SOAP on 1 March 2027: 0 of 2 debtors are on REST.",
                "Nmbrs stopt op 1 maart 2027 met SOAP: 0 van de 2 debiteuren zijn overgestapt op REST."
            )})`,
        },
        noEnglishStep("REST settings"),
        ...giveConsentSteps(),
        {
            content: "it covers the debtor picked in Nmbrs, with its relation",
            trigger: ".o_field_widget[name='debtor_ids'] .o_data_row td[name='relation_count']:contains(1)",
        },
        {
            content: "no problem is shown",
            trigger: ".o_form_sheet:not(:has(.alert-warning:visible))",
        },
    ],
});

// A consent given in Nmbrs, nothing more: the start of the switch of one debtor.
registry.category("web_tour.tours").add("nmbrs_connector_rest_give_consent_tour", {
    url: "/odoo/settings#nmbrs_connector",
    steps: giveConsentSteps,
});

// A relation of the debtor that just gave consent talks to Nmbrs over REST from then on: its Nmbrs tab
// says so, and Sync now imports its payroll documents that way.
registry.category("web_tour.tours").add("nmbrs_connector_rest_import_tour", {
    steps: () => [
        {
            content: "open the Nmbrs tab",
            trigger: ".o_notebook .nav-link:contains('Nmbrs')",
            run: "click",
        },
        {
            content: "the relation goes over REST now",
            trigger: `div[name='nmbrs_protocol']:contains(${T(
                "REST: a consent of the debtor",
                "REST: een toestemming van de debiteur"
            )})`,
        },
        noEnglishStep("relation on REST"),
        {
            content: "sync now",
            trigger: "button[name='action_nmbrs_sync_now']",
            run: "click",
        },
        {
            content: "its payroll documents arrived over REST",
            trigger: `.o_notification:has(.o_notification_bar.bg-success):contains(${T(
                "imported from Nmbrs.",
                "uit Nmbrs geïmporteerd."
            )})`,
        },
        {
            content: "and are on the relation",
            trigger: "div[name='nmbrs_document_count'] .o_stat_value:not(:contains(/^0$/))",
        },
    ],
});
