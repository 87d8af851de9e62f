import { registry } from "@web/core/registry";
import { noEnglishStep, T } from "@nmbrs_connector/../tests/tours/nmbrs_tour_utils";

// An accountant sees in Settings how many debtors are on Nmbrs REST before SOAP ends, opens the debtors
// still on SOAP and moves one with its one-click consent. On Nmbrs's consent page (the sandbox's, driven
// by the test) the debtor is approved; back in Odoo, Settings counts it on REST.
// Three debtors are linked: one has a consent already, 9001 is a debtor the sandbox does not know.
registry.category("web_tour.tours").add("nmbrs_connector_rest_switch_tour", {
    url: "/odoo/settings#nmbrs_connector",
    steps: () => [
        {
            content: "where the office stands: one debtor of three on REST",
            trigger: `div[name='nmbrs_rest_progress']:contains(${T(
                "Nmbrs ends SOAP on 1 March 2027: 1 of 3 debtors is on REST.",
                "Nmbrs stopt op 1 maart 2027 met SOAP: 1 van de 3 debiteuren is overgestapt op REST."
            )})`,
        },
        noEnglishStep("how far the move to REST is"),
        {
            content: "open the debtors still on SOAP",
            trigger: `button:contains(${T("Debtors still on SOAP", "Debiteuren nog op SOAP")})`,
            run: "click",
        },
        {
            content: "the two others are listed, each with its one-click consent",
            trigger: ".o_list_view:has(.o_data_row:nth-child(2)):not(:has(.o_data_row:nth-child(3)))",
        },
        {
            content: "the debtor the sandbox does not know is among them",
            trigger: ".o_data_row td[name='debtor_number']:contains(9001)",
        },
        noEnglishStep("debtors still on SOAP"),
        {
            content: "move the other one: off to Nmbrs's consent page",
            trigger: ".o_data_row:not(:has(td[name='debtor_number']:contains(9001))) button[name='action_nmbrs_authorize']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "back in Odoo after approving in Nmbrs: the consent is active",
            trigger: `.o_statusbar_status .o_arrow_button_current:contains(${T("Active", "Actief")})`,
        },
        {
            content: "back to Settings",
            trigger: ".o_form_sheet:not(:has(.alert-warning:visible))",
            run() {
                window.location.assign("/odoo/settings#nmbrs_connector");
            },
            expectUnloadPage: true,
        },
        {
            content: "two debtors of three on REST now",
            trigger: `div[name='nmbrs_rest_progress']:contains(${T(
                "Nmbrs ends SOAP on 1 March 2027: 2 of 3 debtors are on REST.",
                "Nmbrs stopt op 1 maart 2027 met SOAP: 2 van de 3 debiteuren zijn overgestapt op REST."
            )})`,
        },
        noEnglishStep("two debtors on REST"),
    ],
});
