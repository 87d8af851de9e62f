import { registry } from "@web/core/registry";
import { noEnglishStep, T } from "@nmbrs_connector/../tests/tours/nmbrs_tour_utils";

// The office's texts that the sync stores (log lines, errors on a relation) are
// in the company's language, Dutch here, whoever reads them.
const LOGIN_REFUSED_STORED = "Nmbrs heeft de login geweigerd";

// "Sync now" on a relation while Nmbrs refuses the login: the reason at once,
// and the relation's Nmbrs tab shows the failure without reloading the page.
registry.category("web_tour.tours").add("nmbrs_connector_sync_now_failure_tour", {
    steps: () => [
        {
            content: "open the Nmbrs tab",
            trigger: ".o_notebook .nav-link:contains('Nmbrs')",
            run: "click",
        },
        {
            content: "the tab is open, without a sync error yet",
            trigger: ".o_form_view:not(:has(div[name='nmbrs_sync_state'] .text-bg-danger)) .o_notebook .nav-link.active:contains('Nmbrs')",
        },
        {
            content: "sync the relation with Nmbrs",
            trigger: "button[name='action_nmbrs_sync_now']",
            run: "click",
        },
        {
            content: "the refused login is told at once",
            trigger: `.o_notification:has(.o_notification_bar.bg-danger):contains(${LOGIN_REFUSED_STORED})`,
        },
        {
            content: "the tab shows the failed sync and why",
            trigger: ".o_form_view div[name='nmbrs_sync_state'] .text-bg-danger",
        },
        {
            content: "with the reason",
            trigger: `.o_form_view div[name='nmbrs_sync_error']:contains(${LOGIN_REFUSED_STORED})`,
        },
        noEnglishStep("relation after a failed sync"),
    ],
});

// "Import documents now" in Settings with a wrong tenant key: the real reason at
// once; after the fix the import starts in the background.
registry.category("web_tour.tours").add("nmbrs_connector_import_now_tour", {
    url: "/odoo/settings#nmbrs_connector",
    steps: () => [
        {
            content: "import the documents now",
            trigger: "button[name='action_nmbrs_import_documents']",
            run: "click",
        },
        {
            content: "the wrong tenant key is named, with the right one",
            trigger: `.o_notification:has(.o_notification_bar.bg-danger):contains(${T(
                "Nmbrs does not know the tenant key 'verkeerd'",
                "Nmbrs kent de omgevingscode 'verkeerd' niet"
            )}):contains('kantoorvoorbeeld')`,
        },
        noEnglishStep("settings after a wrong tenant key"),
        {
            content: "close the message",
            trigger: ".o_notification:has(.o_notification_bar.bg-danger) .o_notification_close",
            run: "click",
        },
        {
            content: "enter the right tenant key",
            trigger: "div[name='nmbrs_tenant_key'] input",
            run: "edit kantoorvoorbeeld",
        },
        {
            content: "save the settings",
            trigger: ".o_control_panel button.o_form_button_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the key is saved",
            trigger: "div[name='nmbrs_tenant_key'] input:value('kantoorvoorbeeld')",
        },
        {
            content: "import the documents now, again",
            trigger: "button[name='action_nmbrs_import_documents']",
            run: "click",
        },
        {
            content: "the import started in the background",
            trigger: `.o_notification:has(.o_notification_bar.bg-success):contains(${T(
                "The import of the payroll documents of 2 relations started in the background",
                "De import van de loondocumenten van 2 relaties is op de achtergrond gestart"
            )})`,
        },
        noEnglishStep("settings after the import started"),
    ],
});

// Once the background import is done: the inbox tells the outcome, and the
// sync log tells per relation and document type what happened.
registry.category("web_tour.tours").add("nmbrs_connector_sync_log_tour", {
    url: "/odoo/discuss?active_id=mail.box_inbox",
    steps: () => [
        {
            content: "the inbox tells the import is done",
            trigger: ".o-mail-Message:contains('Nmbrs-import klaar'):contains('nieuwe loondocumenten voor 2 relaties')",
        },
        {
            content: "open the sync log",
            trigger: "body",
            run: () => {
                window.location.href = "/odoo/action-nmbrs_connector.action_nmbrs_sync_log";
            },
            expectUnloadPage: true,
        },
        {
            content: "a line per relation and document type, with what arrived",
            trigger: `.o_list_view .o_data_row:has(td:contains(${T("Payslip", "Loonstrook")})):has(td:contains(${T(
                "Done",
                "Gereed"
            )}))`,
        },
        {
            content: "the failed sync of the relation is there, with the reason",
            trigger: `.o_list_view .o_data_row.text-danger:has(td:contains(${T(
                "Failed",
                "Mislukt"
            )})):has(td:contains(${LOGIN_REFUSED_STORED}))`,
        },
        {
            content: "show only what failed",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "filter: failed",
            trigger: `.o_filter_menu .dropdown-item:contains(${T("Failed", "Mislukt")})`,
            run: "click",
        },
        {
            content: "one failed line is left",
            trigger: ".o_list_view:not(:has(.o_data_row:not(.text-danger))) .o_data_row.text-danger",
        },
        noEnglishStep("sync log"),
    ],
});
