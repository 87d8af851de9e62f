import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";
import { noEnglishStep, T } from "@nmbrs_connector/../tests/tours/nmbrs_tour_utils";

// What the test sets up: the relation's newest wage tax declaration has a status
// Nmbrs is known to return, the one before it a status nobody has seen yet.
const KNOWN_STATUS = T("Sent outside Nmbrs (SentExternal)", "Buiten Nmbrs verzonden (SentExternal)");
const UNKNOWN_STATUS = "Approved";
// An id, a number or a year as Nmbrs shows it, without thousands separators.
const PLAIN_NUMBER = /^\d+$/;

function groupNames() {
    return [...document.querySelectorAll(".o_list_view .o_group_header .o_group_name")].map(
        (name) => name.innerText.trim().split(/\s+/)[0]
    );
}

function assertPlainNumber(what, text) {
    if (!PLAIN_NUMBER.test(text.trim())) {
        throw new Error(`${what} should read as digits alone, not "${text}"`);
    }
}

function formValue(name) {
    return document.querySelector(`.o_form_view div[name='${name}']`).innerText.trim();
}

function assertNotCut(cell) {
    for (const element of [cell, ...cell.querySelectorAll("*")]) {
        if (element.clientWidth && element.scrollWidth > element.clientWidth + 1) {
            throw new Error(`the text "${cell.innerText}" is cut off in its column`);
        }
    }
}

// A relation's payroll documents from its smart button: newest first, readable,
// filtered and grouped; a document opened and downloaded.
registry.category("web_tour.tours").add("nmbrs_connector_documents_tour", {
    steps: () => [
        {
            content: "open the Nmbrs tab",
            trigger: ".o_notebook .nav-link:contains('Nmbrs')",
            run: "click",
        },
        {
            content: "the Nmbrs company ID reads as in Nmbrs, without thousands separators",
            trigger: ".o_form_view div[name='nmbrs_company_id'] input",
            run() {
                assertPlainNumber("the Nmbrs company ID", this.anchor.value);
            },
        },
        {
            content: "the tab lists the latest documents, their types in full",
            trigger: ".o_form_view div[name='nmbrs_document_ids'] .o_data_row td[name='document_type']",
            run() {
                for (const cell of document.querySelectorAll(
                    ".o_form_view div[name='nmbrs_document_ids'] .o_data_row td[name='document_type']"
                )) {
                    assertNotCut(cell);
                }
            },
        },
        noEnglishStep("relation's Nmbrs tab"),
        {
            content: "open the relation's payroll documents",
            trigger: "button[name='action_open_nmbrs_documents']",
            run: "click",
        },
        {
            content: "the documents are grouped per period",
            trigger: ".o_list_view .o_group_header:nth-child(2)",
        },
        {
            content: "the newest period comes first",
            trigger: ".o_list_view .o_group_header",
            run() {
                const periods = groupNames();
                const newestFirst = [...periods].sort().reverse();
                if (periods.join() !== newestFirst.join()) {
                    throw new Error(`periods should be newest first, not ${periods.join(", ")}`);
                }
            },
        },
        {
            content: "the list belongs to one relation: no Relation column, an Employee column",
            trigger: `.o_list_view:not(:has(th[data-name='partner_id'])):has(th[data-name='employee_partner_id']):has(th[data-name='document_type'])`,
        },
        {
            content: "open the newest period",
            trigger: ".o_list_view .o_group_header:first",
            run: "click",
        },
        {
            content: "its payslips show their type in words",
            trigger: `.o_list_view .o_data_row td[name='document_type']:contains(${T("Payslip", "Loonstrook")})`,
        },
        {
            content: "no type is cut off, and employees are named without their company",
            trigger: ".o_list_view .o_data_row td[name='employee_partner_id']:not(:empty)",
            run() {
                const crumbs = document.querySelectorAll(".o_breadcrumb .breadcrumb-item");
                const relation = crumbs[crumbs.length - 1].innerText.trim();
                for (const cell of document.querySelectorAll(".o_data_row td[name='document_type']")) {
                    assertNotCut(cell);
                }
                for (const cell of document.querySelectorAll(".o_data_row td[name='employee_partner_id']")) {
                    if (relation && cell.innerText.includes(relation)) {
                        throw new Error(`the employee "${cell.innerText}" repeats the relation "${relation}"`);
                    }
                }
            },
        },
        noEnglishStep("the relation's payroll documents"),
        {
            content: "open a payslip",
            trigger: `.o_list_view .o_data_row:has(td[name='document_type']:contains(${T(
                "Payslip",
                "Loonstrook"
            )})) td[name='name']`,
            run: "click",
        },
        {
            content: "the payslip's employee is named without the company",
            trigger: ".o_form_view div[name='employee_partner_id']:not(:contains(','))",
        },
        {
            content: "its run number and run ID read as in Nmbrs, and its size has a unit",
            trigger: ".o_form_view div[name='file_size_text']:not(:empty)",
            run() {
                assertPlainNumber("the run number", formValue("nmbrs_run_number"));
                assertPlainNumber("the Nmbrs run ID", formValue("nmbrs_run_id"));
                const size = formValue("file_size_text");
                if (!/^[\d.,]+ (bytes|KB|MB|GB)$/.test(size)) {
                    throw new Error(`the file size should have a unit, not "${size}"`);
                }
            },
        },
        noEnglishStep("a payslip"),
        {
            content: "download the payslip (the file opens in a new tab: keep its address)",
            trigger: `.o_form_view .o_form_statusbar button[name='action_download']:contains(${T(
                "Download",
                "Downloaden"
            )})`,
            run() {
                window.nmbrsDownloads = [];
                const open = browser.open;
                browser.open = (url) => {
                    browser.open = open;
                    window.nmbrsDownloads.push(url);
                    return { closed: false };
                };
                this.anchor.click();
            },
        },
        {
            content: "the download is the payslip's file, under its name",
            trigger: "body",
            async run() {
                // The button asks the server first: under load its answer takes a while.
                for (let wait = 0; wait < 100 && !window.nmbrsDownloads.length; wait++) {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
                const [url] = window.nmbrsDownloads;
                if (!url) {
                    throw new Error("Download opened nothing");
                }
                const response = await fetch(url);
                const disposition = decodeURIComponent(response.headers.get("Content-Disposition") || "");
                const name = formValue("name");
                const file = await response.blob();
                if (!response.ok || !disposition.includes(name) || !file.size) {
                    throw new Error(`the download of "${name}" failed: ${response.status} ${disposition}`);
                }
            },
        },
        {
            content: "back to the list",
            trigger: ".o_breadcrumb .breadcrumb-item:last a",
            run: "click",
        },
        {
            content: "open the search options",
            trigger: ".o_list_view .o_group_header",
            run() {
                document.querySelector(".o_searchview_dropdown_toggler").click();
            },
        },
        {
            content: "filter: wage tax declarations",
            trigger: `.o_filter_menu .dropdown-item:contains(${T("Wage tax declarations", "Loonaangiftes")})`,
            run: "click",
        },
        {
            content: "no longer group per period",
            trigger: `.o_group_by_menu .dropdown-item.selected:contains(${T("Period", "Periode")})`,
            run: "click",
        },
        {
            content: "group per year",
            trigger: `.o_group_by_menu .dropdown-item:contains(${T("Year", "Jaar")})`,
            run: "click",
        },
        {
            content: "years read as years, newest first",
            trigger: ".o_list_view .o_group_header:nth-child(2)",
            run() {
                const years = groupNames();
                for (const year of years) {
                    assertPlainNumber("a year", year);
                }
                if (years.join() !== [...years].sort().reverse().join()) {
                    throw new Error(`years should be newest first, not ${years.join(", ")}`);
                }
            },
        },
        {
            content: "open the newest year",
            trigger: ".o_list_view .o_group_header:first",
            run: "click",
        },
        {
            content: "only wage tax declarations are left",
            trigger: `.o_list_view:not(:has(.o_data_row td[name='document_type']:not(:contains(${T(
                "Wage tax declaration",
                "Loonaangifte"
            )})))) .o_data_row`,
        },
        noEnglishStep("the wage tax declarations"),
        {
            content: "open the newest declaration",
            trigger: ".o_list_view .o_data_row:first td[name='name']",
            run: "click",
        },
        {
            content: "its status is told in words, with the status Nmbrs gave",
            trigger: ".o_form_view div[name='nmbrs_status_text']:not(:empty)",
            run() {
                const status = formValue("nmbrs_status_text");
                if (status !== KNOWN_STATUS) {
                    throw new Error(`the status should read "${KNOWN_STATUS}", not "${status}"`);
                }
            },
        },
        noEnglishStep("a wage tax declaration"),
        {
            content: "the declaration before it",
            trigger: ".o_pager_next",
            run: "click",
        },
        {
            content: "a status Nmbrs never gave before is shown as Nmbrs wrote it",
            trigger: `.o_form_view div[name='nmbrs_status_text']:text(${UNKNOWN_STATUS})`,
        },
    ],
});

// The pivot of payroll documents: how many of each type each relation has, and
// no sums of years or ids on offer.
registry.category("web_tour.tours").add("nmbrs_connector_documents_pivot_tour", {
    steps: () => [
        {
            content: "the columns are the document types",
            trigger: `.o_pivot thead .o_pivot_header_cell_closed:contains(${T("Payslip", "Loonstrook")})`,
        },
        {
            content: "one column per type, counted per relation",
            trigger: ".o_pivot tbody .o_pivot_header_cell_closed",
            run() {
                const columns = document.querySelectorAll(".o_pivot thead .o_pivot_header_cell_closed");
                if (columns.length > 5) {
                    throw new Error(`the pivot should have a column per type, not ${columns.length} columns`);
                }
                for (const measure of document.querySelectorAll(".o_pivot .o_pivot_measure_row")) {
                    if (measure.innerText.trim() !== T("Count", "Aantal")) {
                        throw new Error(`the pivot should count documents, not show "${measure.innerText}"`);
                    }
                }
            },
        },
        {
            content: "open the measures",
            trigger: `.o_pivot_buttons button:contains(${T("Measures", "Meetwaarden")})`,
            run: "click",
        },
        {
            content: "counting is the only measure: years, periods and ids are not summed",
            trigger: ".o-dropdown--menu .o_menu_item",
            run() {
                const measures = [...document.querySelectorAll(".o-dropdown--menu .o_menu_item")].map((item) =>
                    item.innerText.trim()
                );
                if (measures.join() !== T("Count", "Aantal")) {
                    throw new Error(`the only measure should be the count, not ${measures.join(", ")}`);
                }
            },
        },
        noEnglishStep("the pivot of payroll documents"),
    ],
});
