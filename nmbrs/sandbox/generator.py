"""Deterministic datasets of a Dutch accounting office, generated from a seed.

``demo_dataset``: 2 debtors, 5 companies with 3 to 8 employees, a monthly run for
every month of last year and of this year up to the current month.
``sized_dataset``: ``companies`` x ``employees`` x ``runs`` for the benchmark.
In both, every run is locked except each company's latest.
"""
import datetime
import itertools
import random
import unicodedata
from decimal import Decimal

from . import dataset as records
from .dataset import Dataset

DEMO_SUBDOMAIN = 'kantoorvoorbeeld'
DEMO_USERNAME = 'payroll-api@kantoorvoorbeeld.example'
DEFAULT_SEED = 2024

FIRST_NAMES = (('Pieter', 'male'), ('Anna', 'female'), ('Daan', 'male'), ('Sanne', 'female'),
               ('Émile', 'male'), ('Zoë', 'female'), ('Mehmet', 'male'), ('Fatima', 'female'),
               ('Björn', 'male'), ('Chloë', 'female'), ('Thijs', 'male'), ('Loïs', 'female'),
               ('Ayşe', 'female'), ('Joris', 'male'), ('Iris', 'female'), ('Noël', 'male'))
LAST_NAMES = ((None, 'Ünal'), (None, 'Bakker-Çelik'), ('van der', 'Meer'), ('de', 'Vries'), (None, 'Jansen'),
              ('van', 'Dijk'), (None, 'Öztürk'), ('de', 'Boer'), (None, 'Mulder'), ('van den', 'Berg'),
              ('ter', 'Horst'), (None, 'Visser'), ("'t", 'Hart'), (None, 'Koç'), ('van', 'Leeuwen'),
              (None, 'Smit'), (None, 'El Idrissi'), ('de', 'Groot'), (None, 'Dekker'), (None, 'Hendriks'))
ACTIVITIES = ('Installatietechniek', 'Bakkerij', 'Advies', 'Transport', 'Bouw', 'Zorg', 'Horeca',
              'Techniek', 'Onderhoud', 'Logistiek')
CITIES = (('Utrecht', '3511', 'Utrecht', '030'), ('Amersfoort', '3811', 'Utrecht', '033'),
          ('Amsterdam', '1012', 'Noord-Holland', '020'), ('Rotterdam', '3011', 'Zuid-Holland', '010'),
          ('Den Haag', '2511', 'Zuid-Holland', '070'), ('Groningen', '9711', 'Groningen', '050'),
          ('Eindhoven', '5611', 'Noord-Brabant', '040'), ('Zwolle', '8011', 'Overijssel', '038'),
          ('Leeuwarden', '8911', 'Friesland', '058'), ("'s-Hertogenbosch", '5211', 'Noord-Brabant', '073'))
STREETS = ('Stationsplein', 'Lindelaan', 'Kerkstraat', 'Dorpsstraat', 'Molenweg', 'Julianalaan',
           'Beukenlaan', 'Havenkade', 'Schoolstraat', 'Parallelweg')
BANKS = (('INGB', 'INGBNL2A'), ('RABO', 'RABONL2U'), ('ABNA', 'ABNANL2A'), ('SNSB', 'SNSBNL2A'))
MARITAL_STATUSES = ('Ongehuwd', 'Gehuwd', 'Samenwonend', 'Geregistreerd partner')


def _ascii_slug(text, separator=''):
    plain = unicodedata.normalize('NFKD', text).encode('ascii', 'ignore').decode().lower()
    return separator.join(''.join(char if char.isalnum() else ' ' for char in plain).split())


def _iban(rng, bank_code):
    """A Dutch IBAN whose check digits are right (ISO 13616 mod 97)."""
    account = '%010d' % rng.randrange(10 ** 9, 10 ** 10)
    digits = ''.join(str(int(char, 36)) for char in bank_code + account + 'NL00')
    return 'NL%02d%s%s' % (98 - int(digits) % 97, bank_code, account)


def _bsn(rng):
    """A BSN that passes the eleven-test."""
    while True:
        digits = [rng.randrange(10) for _ in range(8)]
        check = sum(digit * weight for digit, weight in zip(digits, range(9, 1, -1))) % 11
        if check < 10 and digits[0]:
            return ''.join(map(str, digits)) + str(check)


def _phone(rng, area_code):
    return '%s-%0*d' % (area_code, 10 - len(area_code), rng.randrange(10 ** (9 - len(area_code)),
                                                                      10 ** (10 - len(area_code))))


class _OfficeBuilder:
    def __init__(self, dataset, rng):
        self.dataset = dataset
        self.rng = rng
        self.first_names = itertools.cycle(rng.sample(FIRST_NAMES, len(FIRST_NAMES)))
        self.last_names = itertools.cycle(LAST_NAMES)  # in order, so the awkward names come first
        self.activities = itertools.cycle(ACTIVITIES)

    def address(self, **fields):
        city, postal_digits, province, _ = self.rng.choice(CITIES)
        return self.dataset.new_address(
            street=self.rng.choice(STREETS), house_number=str(self.rng.randrange(1, 180)),
            postal_code='%s %s' % (postal_digits, ''.join(self.rng.choice('ABCDEGHJKLMNPRSTVWXZ') for _ in '12')),
            city=city, state_province=province, **fields)

    def company(self, debtor, family_name):
        name = '%s %s B.V.' % (family_name, next(self.activities))
        slug = _ascii_slug(name.replace(' B.V.', ''), '-')
        bank_code, bic = self.rng.choice(BANKS)
        with_website = self.rng.random() < 0.7
        return self.dataset.add_company(
            debtor.id, name, self.address(), phone_number=_phone(self.rng, self.rng.choice(CITIES)[3]),
            email='salaris@%s.example' % slug if self.rng.random() < 0.8 else None,
            website='www.%s.example' % slug if with_website else None,
            kvk_nr='%08d' % self.rng.randrange(10 ** 7, 10 ** 8), iban=_iban(self.rng, bank_code), bic=bic)

    def employee(self, company):
        first_name, gender = next(self.first_names)
        prefix, last_name = next(self.last_names)
        company_domain = (company.email or '@%s.example' % _ascii_slug(company.name, '-')).split('@')[1]
        bank_code, _ = self.rng.choice(BANKS)
        rng = self.rng
        return self.dataset.add_employee(
            company.id, first_name, last_name, prefix=prefix, gender=gender,
            birthday=datetime.datetime(rng.randrange(1962, 2004), rng.randrange(1, 13), rng.randrange(1, 29)),
            bsn=_bsn(rng), nationality_code=1, place_of_birth=rng.choice(CITIES)[0],
            country_of_birth_iso_code='NL', telephone_mobile_private=_phone(rng, '06'),
            telephone_work=company.phone_number,
            email_private='%s.%s@example.com' % (_ascii_slug(first_name), _ascii_slug(last_name)),
            email_work='%s.%s@%s' % (_ascii_slug(first_name)[0], _ascii_slug((prefix or '') + last_name),
                                     company_domain),
            burgerlijke_staat=rng.choice(MARITAL_STATUSES),
            creation_date=datetime.datetime(2019 + rng.randrange(5), rng.randrange(1, 13), rng.randrange(1, 29),
                                            rng.randrange(8, 18), rng.randrange(60), rng.randrange(60)),
            addresses=[self.address(type='HomeAddress')], iban=_iban(rng, bank_code),
            monthly_salary=Decimal(rng.randrange(2400, 6500, 25)))

    def runs(self, companies, months, leavers=()):
        """A run per company per month; ``leavers`` leave after the first year's last month."""
        for index, (year, month) in enumerate(months):
            if index and year != months[index - 1][0]:
                for leaver in leavers:
                    leaver.employee_type = records.EMPLOYEE_TYPE_LEFT
            for company in companies:
                self.dataset.add_run(company.id, year, month, locked=index < len(months) - 1)


def _months_until(now, count):
    """The ``count`` months ending with the month of ``now``, oldest first, as (year, month)."""
    index = now.year * 12 + now.month - 1
    return [divmod(month_index, 12) for month_index in range(index - count + 1, index + 1)]


def _new_office(seed, now):
    dataset = Dataset(DEMO_SUBDOMAIN, now=now)
    rng = random.Random(seed)
    dataset.add_user(DEMO_USERNAME, '%032x' % rng.getrandbits(128))
    return dataset, rng, _OfficeBuilder(dataset, rng)


def demo_dataset(seed=DEFAULT_SEED, now=None):
    dataset, rng, builder = _new_office(seed, now)
    now = dataset.now()
    companies, leavers = [], []
    for debtor_name, family_name, company_count in (('Holding Jansen B.V.', 'Jansen', 3),
                                                      ('Van Dijk Beheer B.V.', 'Van Dijk', 2)):
        debtor = dataset.add_debtor(debtor_name)
        for _ in range(company_count):
            company = builder.company(debtor, family_name)
            employees = [builder.employee(company) for _ in range(rng.randrange(3, 9))]
            if len(companies) % 2:
                leavers.append(employees[-1])
            companies.append(company)
    months = [(year, month + 1) for year, month in _months_until(now, 12 + now.month)]
    builder.runs(companies, months, leavers)
    _mark_sent_external(dataset, companies[1], now.year - 1, 3)
    return dataset


def _mark_sent_external(dataset, company, year, period):
    declaration = dataset.declaration_for_period(company.id, year, period)
    dataset.set_declaration_status(declaration.id, 'SentExternal', declaration.sent_at)


def sized_dataset(companies, employees, runs, seed=DEFAULT_SEED, now=None, companies_per_debtor=10):
    """``companies`` companies of ``employees`` employees, each with ``runs`` monthly runs up to now."""
    dataset, rng, builder = _new_office(seed, now)
    built = []
    for index in range(companies):
        if index % companies_per_debtor == 0:
            family_name = LAST_NAMES[(index // companies_per_debtor) % len(LAST_NAMES)][1]
            debtor = dataset.add_debtor('%s Beheer B.V.' % family_name)
        company = builder.company(debtor, family_name)
        for _ in range(employees):
            builder.employee(company)
        built.append(company)
    builder.runs(built, [(year, month + 1) for year, month in _months_until(dataset.now(), runs)])
    return dataset
