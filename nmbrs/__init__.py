"""Plain-Python access to the Nmbrs payroll API (no Odoo imports).

``api_facts`` holds every fact about the wire protocol in one place, ``client``
talks to Nmbrs, ``sandbox`` is a local stand-in server for tests and demos.
"""
