import { registry } from "@web/core/registry";
import { noEnglishStep, T } from "@nmbrs_connector/../tests/tours/nmbrs_tour_utils";

// An employee's contact has no annual documents of its own: those belong to the Nmbrs company.
registry.category("web_tour.tours").add("nmbrs_connector_annual_employee_tour", {
    steps: () => [
        {
            content: "the employee's contact can be synced, but offers no annual documents",
            trigger: ".o_form_view:has(button[name='action_nmbrs_sync_now']):not(:has(button[name='action_nmbrs_annual_documents']))",
        },
    ],
});

// From the menu: the list of annual-document requests, a new request through
// the wizard, its result, and the request in the list, each counted right.
registry.category("web_tour.tours").add("nmbrs_connector_annual_documents_tour", {
    steps: () => [
        {
            content: "a Nmbrs company relation offers its annual documents",
            trigger: ".o_form_view button[name='action_nmbrs_annual_documents']",
        },
        {
            content: "open the Nmbrs menu",
            trigger: ".o_main_navbar .o_menu_sections button:contains('Nmbrs')",
            run: "click",
        },
        {
            content: "open Annual documents",
            trigger: `.o-dropdown--menu .dropdown-item:contains(${T("Annual documents", "Jaarwerk")})`,
            run: "click",
        },
        {
            content: "the list of requests opens, empty, and says what it is for",
            trigger: `.o_action_manager:not(:has(.modal)) .o_view_nocontent:contains(${T(
                "Request the annual documents of a year",
                "Vraag het jaarwerk van een jaar aan"
            )})`,
        },
        noEnglishStep("the empty list of annual-document requests"),
        {
            content: "request annual documents",
            trigger: `.o_action_manager button:contains(${T("Request annual documents", "Jaarwerk aanvragen")})`,
            run: "click",
        },
        {
            content: "the wizard counts the linked relations",
            trigger: ".modal div[name='relation_count']:contains('1')",
        },
        {
            content: "the year reads as a year, without a thousands separator",
            trigger: ".modal div[name='year'] input",
            run() {
                if (!/^\d{4}$/.test(this.anchor.value)) {
                    throw new Error(`the year reads "${this.anchor.value}"`);
                }
            },
        },
        noEnglishStep("the annual documents wizard"),
        {
            content: "fetch",
            trigger: ".modal button[name='action_fetch']",
            run: "click",
        },
        {
            content: "the result counts one document, in the singular",
            trigger: `.modal div[name='summary']:contains(${T(
                "Fetched from Nmbrs: 1 document. Already in Odoo: 0.",
                "Opgehaald uit Nmbrs: 1 document. Al in Odoo: 0."
            )})`,
        },
        {
            content: "the relation is done",
            trigger: `.modal .o_data_row td:contains(${T("Done", "Gereed")})`,
        },
        noEnglishStep("the result of the annual documents wizard"),
        {
            content: "close the wizard",
            trigger: ".modal .modal-footer button.btn-secondary",
            run: "click",
        },
        {
            // The request's name is stored in the office's language (Dutch here), whoever asked.
            content: "the request is listed, with one relation in the singular",
            trigger: ".o_action_manager:not(:has(.modal)) .o_list_view .o_data_row td:contains('Jaarwerk'):contains(', 1 relatie')",
        },
        noEnglishStep("the list of annual-document requests"),
    ],
});
