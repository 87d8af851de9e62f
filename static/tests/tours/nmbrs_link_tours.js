import { registry } from "@web/core/registry";
import { noEnglishStep, T } from "@nmbrs_connector/../tests/tours/nmbrs_tour_utils";

const wizardRow = (relation) => `.modal .o_field_widget[name='line_ids'] .o_data_row:contains(${relation})`;

function checkNmbrsTab(companyNumber) {
    return [
        {
            content: "open the Nmbrs tab",
            trigger: ".o_notebook .nav-link:contains(Nmbrs)",
            run: "click",
        },
        {
            content: "the relation shows its link to the Nmbrs company",
            trigger: `.o_notebook div[name='nmbrs_company_number'] input:value(${companyNumber})`,
        },
        {
            content: "the Nmbrs tab names the link",
            trigger: `.o_notebook label:contains(${T("Nmbrs company number", "Nmbrs-bedrijfsnummer")})`,
        },
    ];
}

// Link the ticked proposal (by default Van Dijk Transport B.V.).
function linkTransport(relation = "Van Dijk Transport B.V.") {
    return [
        {
            content: "link",
            trigger: ".modal-footer button[name='action_link']",
            run: "click",
        },
        {
            content: "the user is told what was linked",
            trigger: `.o_notification:has(.o_notification_bar.bg-success):contains(${T(
                relation + " is linked to Nmbrs",
                relation + " is gekoppeld aan Nmbrs"
            )})`,
        },
    ];
}

// One relation, from its form: the match by KvK number is proposed ticked, and linking works.
registry.category("web_tour.tours").add("nmbrs_connector_link_one_tour", {
    steps: () => [
        {
            content: "link the relation to Nmbrs",
            trigger: ".o_form_view .o_form_statusbar button[name='action_nmbrs_link']:visible",
            run: "click",
        },
        {
            content: "the Nmbrs company with the same KvK number is proposed, scored 100 and ticked",
            trigger:
                `${wizardRow("Van Dijk Transport B.V.")}:contains(${T("same KvK number", "zelfde KvK-nummer")})` +
                ":has(.o_field_boolean_toggle input:checked):has(.o_progressbar:contains(100))",
        },
        {
            content: "only the strong match is ticked",
            trigger: ".modal .o_field_widget[name='line_ids']",
            run() {
                const ticked = this.anchor.querySelectorAll(".o_data_row .o_field_boolean_toggle input:checked");
                if (ticked.length !== 1) {
                    throw new Error(`expected 1 ticked proposal, found ${ticked.length}`);
                }
            },
        },
        noEnglishStep("link wizard"),
        ...linkTransport(),
        {
            content: "the wizard is closed",
            trigger: "body:not(:has(.modal))",
        },
        ...checkNmbrsTab(4),
        noEnglishStep("relation linked to Nmbrs"),
    ],
});

// A relation whose only candidate another relation holds: the wizard names that relation and proposes nothing.
registry.category("web_tour.tours").add("nmbrs_connector_link_taken_tour", {
    steps: () => [
        {
            content: "link the relation to Nmbrs",
            trigger: ".o_form_view .o_form_statusbar button[name='action_nmbrs_link']:visible",
            run: "click",
        },
        {
            content: "the Nmbrs company is named with the relation that holds it: a duplicate?",
            trigger: `.modal .o_nmbrs_link_notes:contains(${T(
                "Van Dijk Transport B.V. is already linked to relation Van Dijk Transport B.V.: " +
                    "is Van Dijk Transport a duplicate of it?",
                "Van Dijk Transport B.V. is al gekoppeld aan relatie Van Dijk Transport B.V.: " +
                    "is Van Dijk Transport daar een dubbele van?"
            )})`,
        },
        {
            content: "no table of proposals, no Link button, nothing said to be unmatched",
            trigger:
                ".modal:not(:has(.o_field_widget[name='line_ids'] table)):not(:has(button[name='action_link']))" +
                ":not(:has(.o_nmbrs_link_unmatched:visible))",
        },
        noEnglishStep("nothing to link"),
        {
            content: "close",
            trigger: `.modal-footer button.btn-primary:contains(${T("Close", "Sluiten")})`,
            run: "click",
        },
        {
            content: "the wizard is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});

// A linked relation: the wizard says what it is linked to instead of proposing its own link.
registry.category("web_tour.tours").add("nmbrs_connector_link_linked_tour", {
    steps: () => [
        {
            content: "open Link to Nmbrs on a linked relation",
            trigger: ".o_form_view .o_form_statusbar button[name='action_nmbrs_link']:visible",
            run: "click",
        },
        {
            content: "the current link is named",
            trigger: `.modal .o_nmbrs_link_notes:contains(${T(
                "Van Dijk Transport B.V. is already linked to Van Dijk Transport B.V. in Nmbrs.",
                "Van Dijk Transport B.V. is al gekoppeld aan Van Dijk Transport B.V. in Nmbrs."
            )})`,
        },
        {
            content: "nothing is proposed",
            trigger: ".modal:not(:has(.o_field_widget[name='line_ids'] table)):not(:has(button[name='action_link']))",
        },
        noEnglishStep("linked already"),
    ],
});

// Several relations from the contact list's Actions: the best match per Nmbrs company wins, a name alone
// is never ticked, a Nmbrs company linked elsewhere is named, and a relation without a match is listed.
registry.category("web_tour.tours").add("nmbrs_connector_link_many_tour", {
    steps: () => [
        ...[
            "Van Dijk Transport B.V.",
            "Van Dijk Transport BV",
            "Jansen Advies B.V.",
            "Bakkerij Zonder Nmbrs",
        ].map((name) => ({
            content: `select ${name}`,
            trigger: `.o_list_renderer .o_data_row:has(td[name='complete_name']:text(${name})) .o_list_record_selector input`,
            run: "click",
        })),
        {
            content: "open the Actions menu",
            trigger: ".o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "choose Link to Nmbrs",
            trigger: `.o-dropdown--menu .o-dropdown-item:contains(${T("Link to Nmbrs", "Aan Nmbrs koppelen")})`,
            run: "click",
        },
        {
            content: "the relation with the same KvK number and name is proposed at 100 and ticked",
            trigger:
                `${wizardRow("Van Dijk Transport B.V.")}:contains(${T("same KvK number", "zelfde KvK-nummer")})` +
                ":has(.o_field_boolean_toggle input:checked):has(.o_progressbar:contains(100))",
        },
        {
            content: "the duplicate that only has the same name is proposed unticked, with the better match named",
            trigger:
                `${wizardRow("Van Dijk Transport BV")}:contains(${T("same name", "zelfde naam")})` +
                `:contains(${T("matches better", "past beter")})` +
                ":has(.o_field_boolean_toggle input:not(:checked))",
        },
        {
            content: "exactly two proposals, one ticked",
            trigger: ".modal .o_field_widget[name='line_ids']",
            run() {
                const rows = this.anchor.querySelectorAll(".o_data_row");
                const ticked = this.anchor.querySelectorAll(".o_data_row .o_field_boolean_toggle input:checked");
                if (rows.length !== 2 || ticked.length !== 1) {
                    throw new Error(`expected 2 proposals and 1 ticked, found ${rows.length} and ${ticked.length}`);
                }
            },
        },
        {
            content: "the Nmbrs company that is linked to another relation is named, with that relation",
            trigger: `.modal .o_nmbrs_link_notes:contains(${T(
                "Jansen Advies B.V. is already linked to relation Jansen Advies (old)",
                "Jansen Advies B.V. is al gekoppeld aan relatie Jansen Advies (old)"
            )})`,
        },
        {
            content: "the relation nothing matches is listed",
            trigger: ".modal .o_nmbrs_link_unmatched:contains(Bakkerij Zonder Nmbrs)",
        },
        // "Administrator" is the name of the admin's contact in the list behind the wizard.
        noEnglishStep("link wizard with several relations", ["Administrator"]),
        ...linkTransport(),
        {
            content: "the wizard is closed and the list reloaded",
            trigger: "body:not(:has(.modal)) .o_list_renderer:not(:has(.o_list_record_selector input:checked))",
        },
        {
            content: "open the relation that was linked",
            trigger: ".o_list_renderer .o_data_row td[name='complete_name']:text(Van Dijk Transport B.V.)",
            run: "click",
        },
        ...checkNmbrsTab(4),
        noEnglishStep("relation linked from the list", ["Administrator"]),
    ],
});

// A company on Nmbrs REST only (no SOAP login): the wizard proposes what the consent shows, by the same number.
registry.category("web_tour.tours").add("nmbrs_connector_link_rest_only_tour", {
    steps: () => [
        {
            content: "link the relation to Nmbrs",
            trigger: ".o_form_view .o_form_statusbar button[name='action_nmbrs_link']:visible",
            run: "click",
        },
        {
            content: "the consented debtor's company with the same number is proposed, scored 100 and ticked",
            trigger:
                `${wizardRow("Jansen Bakkerij B.V.")}:contains(${T("same number 2", "zelfde nummer 2")})` +
                ":has(.o_field_boolean_toggle input:checked):has(.o_progressbar:contains(100))",
        },
        {
            content: "no company of a debtor without consent is proposed",
            trigger: ".modal .o_field_widget[name='line_ids']:not(:contains(Van Dijk))",
        },
        noEnglishStep("link wizard over REST"),
        ...linkTransport("Jansen Bakkerij B.V."),
        {
            content: "the wizard is closed",
            trigger: "body:not(:has(.modal))",
        },
        ...checkNmbrsTab(2),
        noEnglishStep("relation linked over REST"),
    ],
});
