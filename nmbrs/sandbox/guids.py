"""Stable REST GUIDs for the sandbox's SOAP ids, so one office answers both protocols.

Every SOAP integer id of a kind (debtor, company, employee, run, declaration,
address) has one GUID, the same in every run: uuid5 of the kind and the id.
"""
import threading
import uuid

NAMESPACE = uuid.UUID('4d6e6272-7353-616e-6462-6f7800000001')  # fixed: GUIDs must not change between runs
KINDS = {'debtor': 'debtors', 'company': 'companies', 'employee': 'employees', 'run': 'runs',
         'declaration': 'declarations'}


def guid(kind, soap_id):
    """The REST GUID of a SOAP id."""
    return str(uuid.uuid5(NAMESPACE, '%s:%d' % (kind, soap_id)))


class GuidIndex:
    """The SOAP id of a GUID, for the records of a dataset (rebuilt when a new record appears)."""

    def __init__(self, dataset):
        self._dataset = dataset
        self._lock = threading.Lock()
        self._ids = {kind: {} for kind in KINDS}

    def soap_id(self, kind, value):
        """The SOAP id whose GUID is ``value``, or None."""
        with self._lock:
            known = self._ids[kind]
            if value not in known:
                with self._dataset.lock:
                    ids = list(getattr(self._dataset, KINDS[kind]))
                known.update((guid(kind, soap_id), soap_id) for soap_id in ids)
            return known.get(str(value).lower())
