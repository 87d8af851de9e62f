import { registry } from "@web/core/registry";
import { noEnglishStep, T } from "@nmbrs_connector/../tests/tours/nmbrs_tour_utils";

// An accountant connects the company to Nmbrs (the test's local sandbox) in Settings: one click saves and connects.
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
            content: "connect, without saving first",
            trigger: "button[name='action_nmbrs_connect']",
            run: "click",
        },
        {
            content: "Nmbrs answers: connected",
            trigger: `.o_notification:has(.o_notification_bar.bg-success):contains(${T(
                "Connected to the Nmbrs environment",
                "Gekoppeld aan de Nmbrs-omgeving"
            )})`,
        },
        {
            content: "the settings are saved and connected",
            trigger: `div[name='nmbrs_state'] .text-bg-success:contains(${T("Connected", "Gekoppeld")})`,
        },
        {
            content: "the pasted address became the tenant key",
            trigger: "div[name='nmbrs_tenant_key'] input:value('kantoorvoorbeeld')",
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

/** How many lines the text of ``element`` takes on the screen. */
function lineCount(element) {
    const range = document.createRange();
    range.selectNodeContents(element);
    return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
}

// Settings with unsaved changes: one click on "Test connection" saves, tests and
// shows the outcome beside the connection state, also when the test fails.
registry.category("web_tour.tours").add("nmbrs_connector_settings_unsaved_test_tour", {
    url: "/odoo/settings#nmbrs_connector",
    steps: () => [
        {
            content: "connected, never tested",
            trigger: ".o_setting_box#nmbrs_connection_state:not(:has(span[name='nmbrs_last_test']:visible))",
        },
        {
            content: "the help names the login e-mail, not a username",
            trigger: `.o_setting_box#nmbrs_credentials:not(:contains(${T(
                "Username",
                "Gebruikersnaam"
            )})):contains(${T("API token", "API-token")})`,
        },
        {
            content: "the tenant key is explained, and optional",
            trigger: `div[name='nmbrs_tenant_key_hint']:contains(${T("Optional", "Optioneel")}):contains('kantoor.nmbrs.nl')`,
        },
        {
            content: "what the tenant name is for",
            trigger: `div[name='nmbrs_tenant_name_hint']:contains(${T(
                "connection test",
                "verbindingstest"
            )})`,
        },
        {
            content: "0 as first or last day is explained",
            trigger: `div[name='nmbrs_days_hint']:contains(${T("0 means no limit", "0 betekent geen grens")})`,
        },
        {
            content: "fill in the right login e-mail, without saving",
            trigger: "div[name='nmbrs_username'] input",
            run: "edit salarisadministratie@kantoorvoorbeeld.example",
        },
        {
            content: "labels on one line, the e-mail whole, the buttons apart",
            trigger: "button[name='action_nmbrs_disconnect']",
            run() {
                const problems = [];
                const labels = document.querySelectorAll(
                    ".o_setting_box#nmbrs_credentials label, .o_setting_box#nmbrs_import_window label"
                );
                for (const label of labels) {
                    if (lineCount(label) > 1) {
                        problems.push(`the label "${label.innerText}" wraps`);
                    }
                }
                const email = document.querySelector("div[name='nmbrs_username'] input");
                if (email.scrollWidth > email.clientWidth) {
                    problems.push("the login e-mail is cut off");
                }
                const test = document.querySelector("button[name='action_nmbrs_test_connection']");
                const disconnect = document.querySelector("button[name='action_nmbrs_disconnect']");
                const [left, right] = [test.getBoundingClientRect(), disconnect.getBoundingClientRect()];
                if (left.top === right.top && right.left - left.right < 4) {
                    problems.push("'Test connection' touches 'Disconnect'");
                }
                if (problems.length) {
                    throw new Error(problems.join("; "));
                }
            },
        },
        {
            content: "test the connection, with the change unsaved",
            trigger: "button[name='action_nmbrs_test_connection']",
            run: "click",
        },
        {
            content: "Nmbrs answers: connected (no question to save first, the title not repeated)",
            trigger: `.o_notification:has(.o_notification_bar.bg-success) .o_notification_content:contains(${T(
                "Connected to the Nmbrs environment",
                "Gekoppeld aan de Nmbrs-omgeving"
            )}):not(:contains('Nmbrs. '))`,
        },
        {
            content: "the test worked, beside the connection state",
            trigger: `.o_setting_box#nmbrs_connection_state span[name='nmbrs_last_test'] .text-bg-success:contains(${T(
                "Last test: works",
                "Laatste test: werkt"
            )})`,
        },
        {
            content: "the change is saved",
            trigger: "div[name='nmbrs_username'] input:value('salarisadministratie@kantoorvoorbeeld.example')",
        },
        noEnglishStep("settings after a test that worked"),
        {
            content: "a wrong API token, without saving",
            trigger: "div[name='nmbrs_token'] input",
            run: "edit verkeerd-token",
        },
        {
            content: "test the connection again",
            trigger: "button[name='action_nmbrs_test_connection']",
            run: "click",
        },
        {
            content: "Nmbrs refuses the login, said once",
            trigger: `.o_notification:has(.o_notification_bar.bg-danger) .o_notification_content:contains(${T(
                "Nmbrs refused the login e-mail or the API token",
                "Nmbrs heeft het inlog-e-mailadres of het API-token geweigerd"
            )}):not(:contains('Nmbrs. '))`,
        },
        {
            content: "still connected, but the last test failed, beside it, with when",
            trigger: `.o_setting_box#nmbrs_connection_state:has(div[name='nmbrs_state'] .text-bg-success):has(span[name='nmbrs_last_test'] .text-bg-danger:contains(${T(
                "Last test: failed",
                "Laatste test: mislukt"
            )})) span[name='nmbrs_last_test'] div[name='nmbrs_last_test_date'] span:contains(':')`,
        },
        noEnglishStep("settings after a failed test"),
    ],
});

// A company on Nmbrs REST only: "Test connection" tests its consent and says so plainly.
registry.category("web_tour.tours").add("nmbrs_connector_settings_rest_only_test_tour", {
    url: "/odoo/settings#nmbrs_connector",
    steps: () => [
        {
            content: "connected by its consent, never tested",
            trigger:
                ".o_setting_box#nmbrs_connection_state:has(div[name='nmbrs_state'] .text-bg-success)" +
                ":not(:has(span[name='nmbrs_last_test']:visible))",
        },
        {
            content: "test the connection",
            trigger: "button[name='action_nmbrs_test_connection']",
            run: "click",
        },
        {
            content: "the consent works, named by its debtor",
            trigger: `.o_notification:has(.o_notification_bar.bg-success) .o_notification_content:contains(${T(
                "The consent for Holding Jansen B.V. (100) works: Nmbrs shows 3 companies.",
                "De toestemming voor Holding Jansen B.V. (100) werkt: Nmbrs toont 3 bedrijven."
            )})`,
        },
        {
            content: "the test worked, beside the connection state",
            trigger: `.o_setting_box#nmbrs_connection_state span[name='nmbrs_last_test'] .text-bg-success:contains(${T(
                "Last test: works",
                "Laatste test: werkt"
            )})`,
        },
        {
            content: "the relation sync says what REST cannot change",
            trigger: `.o_setting_box#nmbrs_sync_direction:contains(${T(
                "for relations on REST, change those in Nmbrs",
                "wijzig die voor relaties op REST in Nmbrs"
            )})`,
        },
        noEnglishStep("settings of a company on REST only after a test"),
    ],
});
