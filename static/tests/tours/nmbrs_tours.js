import { registry } from "@web/core/registry";
import { noEnglishStep, T } from "@nmbrs_connector/../tests/tours/nmbrs_tour_utils";

// An accountant connects the company to Nmbrs (the test's local sandbox) in Settings.
registry.category("web_tour.tours").add("nmbrs_connector_settings_tour", {
    url: "/odoo/settings#nmbrs_connector",
    steps: () => [
        {
            content: "fill in the Nmbrs login e-mail",
            trigger: "div[name='nmbrs_username'] input",
            run: "edit tour@kantoorvoorbeeld.example",
        },
        {
            content: "paste the API token",
            trigger: "div[name='nmbrs_token'] input",
            run: "edit tour-token-2026",
        },
        {
            content: "paste the Nmbrs address as tenant key",
            trigger: "div[name='nmbrs_tenant_key'] input",
            run: "edit https://kantoorvoorbeeld.nmbrs.nl/",
        },
        {
            content: "save the settings",
            trigger: ".o_control_panel button.o_form_button_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the pasted address became the tenant key",
            trigger: "div[name='nmbrs_tenant_key'] input:value('kantoorvoorbeeld')",
        },
        {
            content: "test the connection",
            trigger: "button[name='action_nmbrs_test_connection']",
            run: "click",
        },
        {
            content: "Nmbrs answers: connected",
            trigger: `.o_notification:has(.o_notification_bar.bg-success):contains(${T(
                "Connected to the Nmbrs environment",
                "Gekoppeld aan de Nmbrs-omgeving"
            )})`,
        },
        noEnglishStep("settings"),
    ],
});

// On a linked relation, "Sync now" brings its payroll documents.
registry.category("web_tour.tours").add("nmbrs_connector_sync_now_tour", {
    steps: () => [
        {
            content: "no payroll documents yet",
            trigger: ".o_form_view .o_form_sheet:not(:has(button[name='action_open_nmbrs_documents']:visible))",
        },
        {
            content: "sync the relation with Nmbrs",
            trigger: "button[name='action_nmbrs_sync_now']",
            run: "click",
        },
        {
            content: "the import tells what arrived",
            trigger: `.o_notification:has(.o_notification_bar.bg-success):contains(${T(
                "new payroll documents imported from Nmbrs",
                "nieuwe loondocumenten uit Nmbrs geïmporteerd"
            )})`,
        },
        {
            content: "open the relation's payroll documents",
            trigger: "button[name='action_open_nmbrs_documents']",
            run: "click",
        },
        {
            content: "documents are grouped per period: open one",
            trigger: ".o_list_view .o_group_header",
            run: "click",
        },
        {
            content: "the payslips are listed",
            trigger: ".o_list_view .o_data_row td:contains('Loonstrook')",
        },
        noEnglishStep("payroll documents"),
    ],
});
