"""Counted things in messages: "1 relation", "2 relations", "no relations".

Odoo's translations have no plural forms. English and Dutch both use the
singular for one and the plural otherwise, so each form is a term of its own.
"""


def relations(env, count):
    if count == 1:
        return env._("1 relation")
    return env._("%(count)s relations", count=count) if count else env._("no relations")


def documents(env, count):
    if count == 1:
        return env._("1 document")
    return env._("%(count)s documents", count=count) if count else env._("no documents")


def new_payroll_documents(env, count):
    if count == 1:
        return env._("1 new payroll document")
    return env._("%(count)s new payroll documents", count=count) if count else env._("no new payroll documents")
