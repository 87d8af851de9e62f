import { registry } from "@web/core/registry";
import { noEnglishStep, T } from "@nmbrs_connector/../tests/tours/nmbrs_tour_utils";

// A relation's Nmbrs tab shows its WKR per period, and why no new figures come while the company is on SOAP.
registry.category("web_tour.tours").add("nmbrs_connector_work_cost_relation_tour", {
    steps: () => [
        {
            content: "open the Nmbrs tab",
            trigger: ".o_notebook .nav-link:contains('Nmbrs')",
            run: "click",
        },
        {
            content: "the WKR periods of the relation",
            trigger: "div[name='nmbrs_work_costs'] .o_list_view:has(.o_data_row:eq(1)):not(:has(.o_data_row:eq(2)))",
        },
        {
            content: "a period over its free space stands out",
            trigger: "div[name='nmbrs_work_costs'] .o_data_row.text-danger",
        },
        {
            content: "SOAP has no WKR figures: the REST consent is needed",
            trigger: `div[name='nmbrs_work_costs'] .alert:contains(${T(
                "needs the Nmbrs REST connection",
                "vraagt de REST-koppeling met Nmbrs"
            )})`,
        },
        noEnglishStep("relation's WKR balance"),
    ],
});

// The office's list across relations, grouped per relation and year.
registry.category("web_tour.tours").add("nmbrs_connector_work_cost_list_tour", {
    steps: () => [
        {
            content: "one group per relation",
            trigger: ".o_list_view .o_group_name:contains('Bakkerij Test B.V.')",
        },
        {
            content: "and the other relation",
            trigger: ".o_list_view .o_group_name:contains('Garage Test B.V.')",
        },
        noEnglishStep("WKR balance across relations", ["Bakkerij Test B.V.", "Garage Test B.V."]),
    ],
});
