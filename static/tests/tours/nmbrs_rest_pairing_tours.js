import { registry } from "@web/core/registry";
import { noEnglishStep, T } from "@nmbrs_connector/../tests/tours/nmbrs_tour_utils";

// A consent covers a debtor, but one relation's company number names two Nmbrs companies: Odoo cannot tell
// which one it is. Settings says a relation needs a choice and opens the relations to pair.
registry.category("web_tour.tours").add("nmbrs_connector_rest_pairing_settings_tour", {
    url: "/odoo/settings#nmbrs_connector",
    steps: () => [
        {
            content: "Settings say one relation needs a choice",
            trigger: `div[name='nmbrs_pairing_text']:contains(${T(
                "1 relation needs a choice",
                "1 relatie wacht op uw keuze"
            )})`,
        },
        noEnglishStep("REST settings with a relation to pair"),
        {
            content: "open the relations to pair",
            trigger: `button[name='action_nmbrs_pairings']:contains(${T("Choose", "Kiezen")})`,
            run: "click",
        },
        {
            content: "the relation waiting for a choice is listed",
            trigger: ".o_list_view .o_data_row td[name='partner_id']:contains(Jansen Bouw relatie)",
        },
        noEnglishStep("relations to pair"),
    ],
});

// From the consent: open the relation that needs a choice, see the two Nmbrs companies with their number and
// name, choose one; the relation is then on REST.
registry.category("web_tour.tours").add("nmbrs_connector_rest_pairing_tour", {
    steps: () => [
        {
            content: "the consent says one relation needs a choice",
            trigger: `.alert-info:contains(${T("1 relation needs a choice", "1 relatie wacht op uw keuze")})`,
        },
        noEnglishStep("consent with a relation to pair"),
        {
            content: "open the relations to pair",
            trigger: `.alert-info button:contains(${T("Choose", "Kiezen")})`,
            run: "click",
        },
        {
            content: "open the relation",
            trigger: ".o_list_view .o_data_row td[name='partner_id']:contains(Jansen Bouw relatie)",
            run: "click",
        },
        {
            content: "why Odoo asks",
            trigger: `.o_field_widget[name='reason']:contains(${T(
                "Nmbrs has several with this number",
                "Nmbrs heeft er meerdere met dit nummer"
            )})`,
        },
        {
            content: "the candidates: two Nmbrs companies with number 1",
            trigger: ".o_field_widget[name='candidate_ids'] .o_data_row:nth-child(2) td[name='number']:contains(1)",
        },
        {
            content: "with their names",
            trigger: ".o_field_widget[name='candidate_ids'] .o_data_row td[name='name']:contains(Jansen Installatietechniek B.V.)",
        },
        noEnglishStep("relation to pair with its candidates"),
        {
            content: "choose Jansen Bouw B.V.",
            trigger: ".o_field_widget[name='candidate_ids'] .o_data_row:has(td[name='name']:contains(Jansen Bouw B.V.)) button[name='action_nmbrs_choose']",
            run: "click",
        },
        {
            content: "Odoo says the relation now goes over REST",
            trigger: `.o_notification:contains(${T(
                "now goes over Nmbrs REST",
                "gaat nu via Nmbrs REST"
            )})`,
        },
        {
            content: "the relation is on REST",
            trigger: `.o_statusbar_status .o_arrow_button_current:contains(${T("On REST", "Op REST")})`,
        },
        {
            content: "the chosen company is shown",
            trigger: ".o_field_widget[name='chosen_id']:contains(Jansen Bouw B.V. (1))",
        },
        noEnglishStep("relation paired"),
    ],
});
