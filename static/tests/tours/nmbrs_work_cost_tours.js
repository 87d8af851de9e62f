import { registry } from "@web/core/registry";
import { noEnglishStep, T } from "@nmbrs_connector/../tests/tours/nmbrs_tour_utils";

const openNmbrsTab = {
    content: "open the relation's Nmbrs tab",
    trigger: ".o_notebook .nav-link:contains('Nmbrs')",
    run: "click",
};

// A relation whose debtor gave the REST consent: its WKR balance per period, with the year's totals in euros.
registry.category("web_tour.tours").add("nmbrs_connector_work_cost_relation_tour", {
    steps: () => [
        openNmbrsTab,
        {
            content: "the WKR balance of the year shows",
            trigger: `div[name='nmbrs_wkr'] h3:contains(${T("WKR balance", "WKR-saldo")}):contains(2026)`,
        },
        {
            content: "its columns use the WKR terms",
            trigger: `div[name='nmbrs_work_cost_ids'] thead:contains(${T("Fiscal wage", "Fiscaal loon")}):contains(${T(
                "Free space",
                "Vrije ruimte"
            )}):contains(${T("Final levy", "Eindheffing")})`,
        },
        {
            content: "one row per period",
            trigger: "div[name='nmbrs_work_cost_ids'] tbody:has(tr.o_data_row:eq(1)):not(:has(tr.o_data_row:eq(2)))",
        },
        {
            content: "the year's fiscal wage and final levy in euros",
            trigger: `div[name='nmbrs_work_cost_ids'] tfoot:contains(${T("22,500.00", "22.500,00")}):contains(${T(
                "48.00",
                "48,00"
            )}):contains(€)`,
        },
        {
            content: "the figures can be refreshed",
            trigger: `div[name='nmbrs_wkr'] button[name='action_nmbrs_refresh_work_costs']:contains(${T(
                "Refresh WKR figures",
                "WKR-cijfers vernieuwen"
            )})`,
        },
        noEnglishStep("the relation's WKR balance", ["WKR"]),
    ],
});

// A relation whose debtor is still on SOAP: no figures, but what to do to get them.
registry.category("web_tour.tours").add("nmbrs_connector_work_cost_consent_tour", {
    steps: () => [
        openNmbrsTab,
        {
            content: "the WKR balance says it needs the Nmbrs REST consent, and where to ask it",
            trigger: `.o_nmbrs_wkr_consent:contains(${T(
                "needs a Nmbrs REST consent",
                "Nmbrs REST-toestemming"
            )}):contains(${T("Debtors without a consent", "Debiteuren zonder toestemming")})`,
        },
        {
            content: "no figures are shown",
            trigger: "div[name='nmbrs_wkr']:not(:has(div[name='nmbrs_work_cost_ids']:visible))",
        },
        noEnglishStep("a relation without REST consent", ["WKR", "REST"]),
    ],
});

// The office's list across relations, from the Nmbrs menu: grouped by relation and year, totals in euros.
registry.category("web_tour.tours").add("nmbrs_connector_work_cost_list_tour", {
    steps: () => [
        {
            content: "open the Nmbrs menu",
            trigger: ".o_main_navbar .o_menu_sections button:contains('Nmbrs')",
            run: "click",
        },
        {
            content: "open the WKR balance",
            trigger: `.o-dropdown--menu .dropdown-item:contains(${T("WKR balance", "WKR-saldo")})`,
            run: "click",
        },
        {
            content: "the relation's group sums its final levy in euros",
            trigger: `.o_list_view .o_group_header:contains('Bakkerij Wkr B.V.'):contains(${T("48.00", "48,00")}):contains(€)`,
        },
        {
            content: "open the relation",
            trigger: ".o_list_view .o_group_header:contains('Bakkerij Wkr B.V.')",
            run: "click",
        },
        {
            content: "its year, written as a year",
            trigger: ".o_list_view .o_group_header:contains(2026)",
            run: "click",
        },
        {
            content: "one row per period",
            trigger: ".o_list_view tbody:has(tr.o_data_row:eq(1)):not(:has(tr.o_data_row:eq(2)))",
        },
        {
            content: "the columns use the WKR terms",
            trigger: `.o_list_view thead:contains(${T("Free space left", "Resterende vrije ruimte")}):contains(${T(
                "Final levy",
                "Eindheffing"
            )})`,
        },
        noEnglishStep("the WKR balance list", ["WKR"]),
    ],
});
