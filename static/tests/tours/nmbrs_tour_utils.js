import { user } from "@web/core/user";

/** The text the user should see: English, or Dutch for a Dutch user. */
export function T(english, dutch) {
    return user.lang.startsWith("nl") ? dutch : english;
}

function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A step that fails when the screen shows an English term of the addon to a
 * Dutch user. The test hands the terms over in window.nmbrsEnglishTerms;
 * ``allowed`` lists terms that may stay (e.g. a name that happens to match).
 */
export function noEnglishStep(content, allowed = []) {
    return {
        content: `no English on the Dutch screen: ${content}`,
        trigger: "body",
        run() {
            const terms = (window.nmbrsEnglishTerms || []).filter((term) => !allowed.includes(term));
            const text = document.body.innerText;
            const found = [];
            for (const term of terms) {
                const match = new RegExp(
                    `(^|[^\\p{L}\\p{N}])${escapeRegExp(term)}($|[^\\p{L}\\p{N}])`,
                    "u"
                ).exec(text);
                if (match) {
                    const around = text.slice(Math.max(0, match.index - 30), match.index + term.length + 30);
                    found.push(`"${term}" in "…${around.replace(/\s+/g, " ")}…"`);
                }
            }
            if (found.length) {
                throw new Error(`English text on a Dutch screen (${content}): ${found.join("; ")}`);
            }
        },
    };
}
