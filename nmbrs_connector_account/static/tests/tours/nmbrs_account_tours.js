import { registry } from "@web/core/registry";
import { noEnglishStep, T } from "@nmbrs_connector/../tests/tours/nmbrs_tour_utils";

// The accountant switches booking on in the Accounting settings and opens the ledger mapping from there:
// the codes Nmbrs sent, one mapped by its code, one still waiting for an account, and a cost center.
registry.category("web_tour.tours").add("nmbrs_account_settings_mapping_tour", {
    steps: () => [
        {
            content: "the payroll booking settings, switched on with the payroll journal",
            trigger: `#nmbrs_book_journals:contains(${T("Book payroll journals", "Loonjournaalposten boeken")}):has(input:checked)`,
        },
        {
            content: "with the day to book from and the date rule",
            trigger: `#nmbrs_book_journals:contains(${T("Book runs from", "Verloningen boeken vanaf")}):contains(${T(
                "The run's payment date",
                "De betaaldatum van de verloning"
            )})`,
        },
        noEnglishStep("Accounting settings, Nmbrs payroll"),
        {
            content: "open the ledger mapping",
            trigger: "button[name='action_nmbrs_open_ledger_mapping']",
            run: "click",
        },
        {
            content: "the ledger code mapped by its code",
            trigger: ".o_list_view .o_data_row:contains('4000'):contains('Brutolonen')",
        },
        {
            content: "the ledger code without an account, marked",
            trigger: ".o_list_view .o_data_row.text-warning:contains('1650')",
        },
        {
            content: "the cost center of the journal is listed too, to give it an analytic account",
            trigger: `.o_list_view .o_data_row:contains('KP10'):contains(${T("Cost center", "Kostenplaats")})`,
        },
        noEnglishStep("ledger mapping", ["Beslag"]),
    ],
});

// A booked run shows its state and opens its draft entry, which leads back to the run.
registry.category("web_tour.tours").add("nmbrs_account_booked_run_tour", {
    steps: () => [
        {
            content: "the run is booked",
            trigger: `.o_statusbar_status button.o_arrow_button_current:contains(${T("Booked", "Geboekt")})`,
        },
        noEnglishStep("booked payroll run"),
        {
            content: "open its journal entry",
            trigger: "button[name='action_nmbrs_open_move']",
            run: "click",
        },
        {
            content: "a draft entry with the run in its reference (in the company's language)",
            trigger: ".o_form_view:has(.o_statusbar_status button.o_arrow_button_current:contains('Draft'), .o_statusbar_status button.o_arrow_button_current:contains('Concept')) div[name='ref'] input",
            run() {
                const ref = this.anchor.value;
                if (!ref.startsWith("Nmbrs-verloning ")) {
                    throw new Error(`unexpected reference: ${ref}`);
                }
            },
        },
        {
            content: "the entry leads back to its run",
            trigger: "button[name='action_nmbrs_open_run']",
        },
    ],
});
