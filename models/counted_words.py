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


def debtors_on_rest(env, done, total):
    """"37 of 52 debtors are on REST": the noun follows the total, the verb the debtors on REST."""
    if not total:
        return env._("no relation is linked to a Nmbrs debtor yet")
    if total == 1:
        return env._("%(done)s of 1 debtor is on REST", done=done)
    if done == 1:
        return env._("1 of %(total)s debtors is on REST", total=total)
    return env._("%(done)s of %(total)s debtors are on REST", done=done, total=total)


def relations_need_a_choice(env, count):
    """"3 relations need a choice": relations and employee contacts waiting to be paired with Nmbrs REST."""
    if count == 1:
        return env._("1 relation needs a choice")
    return env._("%(count)s relations need a choice", count=count)


def employee_contacts_waiting(env, count):
    if count == 1:
        return env._("1 of its employee contacts needs a choice too.")
    return env._("%(count)s of its employee contacts need a choice too.", count=count)
