"""How Nmbrs relation data and Odoo partner fields map onto each other, and how alike two names are.

Plain functions, shared by the link wizard and both directions of the relation sync.
"""
import difflib
import re
import unicodedata

from odoo.tools import street_split

# Words that say what legal form a company has, not which company it is.
LEGAL_FORMS = {'bv', 'b.v.', 'b.v', 'nv', 'n.v.', 'vof', 'v.o.f.', 'cv', 'c.v.', 'holding', 'beheer'}
# The partner fields an outgoing sync sends to Nmbrs.
PUSHED_PARTNER_FIELDS = ('name', 'street', 'zip', 'city', 'country_id', 'email', 'phone')
# PersonalInfo fields, in the order their value becomes the partner's e-mail or phone. Work data only:
# every internal user reads contacts, and an employee's private e-mail and phones are private data.
EMPLOYEE_EMAIL_FIELDS = ('email_work',)
EMPLOYEE_PHONE_FIELDS = ('telephone_mobile_work', 'telephone_work')


def normalize_name(name):
    """Lower case, accents and punctuation gone, legal forms left out: 'Jansen Bouw B.V.' -> 'jansen bouw'."""
    plain = unicodedata.normalize('NFKD', name or '').encode('ascii', 'ignore').decode().lower()
    words = [word for word in plain.split() if word not in LEGAL_FORMS]
    return ' '.join(''.join(char for char in word if char.isalnum()) for word in words).strip()


def name_similarity(first, second):
    """How alike two names are, from 0.0 to 1.0, ignoring case, accents and legal forms."""
    first, second = normalize_name(first), normalize_name(second)
    if not first or not second:
        return 0.0
    return difflib.SequenceMatcher(None, first, second).ratio()


def normalize_kvk(value):
    """The digits of a KvK (Chamber of Commerce) number, or ''."""
    return re.sub(r'\D', '', value or '')


def same_email(first, second):
    return bool(first and second) and first.strip().lower() == second.strip().lower()


def first_filled(record, field_names):
    """The first of ``field_names`` that holds a value on ``record``, or None."""
    return next((name for name in field_names if getattr(record, name)), None)


def street_line(address):
    """Nmbrs's street, house number and addition as one Odoo street line ('Kerkstraat 12 - A')."""
    line = ' '.join(part for part in (address.street, address.house_number) if part)
    if address.house_number_addition:
        line = '%s - %s' % (line, address.house_number_addition)
    return line


def split_street_line(street):
    """Street, house number and addition of an Odoo street line, as Nmbrs stores them."""
    parts = street_split(street or '')
    return {
        'street': parts['street_name'] or None,
        'house_number': parts['street_number'] or None,
        'house_number_addition': parts['street_number2'] or None,
    }


def split_person_name(name):
    """First name, prefix (tussenvoegsel) and last name of a Dutch full name.

    'Pieter van der Meer' -> ('Pieter', 'van der', 'Meer'): the prefix is the run
    of lower-case words between the first and the last name.
    """
    words = (name or '').split()
    if len(words) < 2:
        return None, None, words[0] if words else None
    first, rest = words[0], words[1:]
    prefix = []
    while len(rest) > 1 and (rest[0][:1].islower() or rest[0][:1] == "'"):
        prefix.append(rest.pop(0))
    return first, ' '.join(prefix) or None, ' '.join(rest) or None


def person_name(info):
    """The full name of a PersonalInfo: its display name, else first, prefix and last name."""
    return info.display_name or ' '.join(
        part for part in (info.first_name, info.prefix, info.last_name) if part)
