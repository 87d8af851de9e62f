"""Run the sandbox standalone (SOAP and REST): ``python -m nmbrs.sandbox --port 8899 --dataset demo``."""
import argparse
import signal
import threading

from .generator import DEFAULT_SEED, demo_dataset, sized_dataset
from .server import NmbrsSandbox


def main(argv=None):
    parser = argparse.ArgumentParser(prog='python -m nmbrs.sandbox', description=__doc__)
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8899, help='0 picks a free port')
    parser.add_argument('--dataset', choices=('demo', 'sized'), default='demo')
    parser.add_argument('--companies', type=int, default=10, help='sized dataset only')
    parser.add_argument('--employees', type=int, default=25, help='per company, sized dataset only')
    parser.add_argument('--runs', type=int, default=12, help='monthly runs per company, sized dataset only')
    parser.add_argument('--seed', type=int, default=DEFAULT_SEED)
    parser.add_argument('--latency', type=float, default=0.0, help='seconds added to every call')
    parser.add_argument('--max-calls-per-second', type=int, default=None,
                        help='rate limit before the 0.5 s delay (default: Nmbrs\'s 150)')
    parser.add_argument('--verbose', action='store_true', help='log every HTTP request')
    parser.add_argument('--redirect-uri', action='append', default=[],
                        help="another address the REST app may send consents back to (e.g. Odoo's callback URL)")
    arguments = parser.parse_args(argv)

    if arguments.dataset == 'demo':
        dataset = demo_dataset(seed=arguments.seed)
    else:
        dataset = sized_dataset(arguments.companies, arguments.employees, arguments.runs, seed=arguments.seed)
    options = {} if arguments.max_calls_per_second is None else {
        'max_calls_per_second': arguments.max_calls_per_second}
    sandbox = NmbrsSandbox(dataset, host=arguments.host, port=arguments.port, latency=arguments.latency,
                           verbose=arguments.verbose, **options).start()
    rest = sandbox.rest_credentials
    sandbox.identity.register_app(rest.client_id, rest.client_secret, [rest.redirect_uri, *arguments.redirect_uri])
    credentials = sandbox.credentials
    print('Nmbrs sandbox listening on %s' % sandbox.url)
    print('  username: %s' % credentials.username)
    print('  token:    %s' % credentials.token)
    print('  domain:   %s  (tenant key / subdomain)' % credentials.domain)
    print('  dataset:  %s, %d debtors, %d companies, %d employees, %d runs' % (
        arguments.dataset, len(dataset.debtors), len(dataset.companies), len(dataset.employees), len(dataset.runs)))
    print('REST API:          %s   (X-Subscription-Key: %s)' % (sandbox.rest_url, rest.subscription_key))
    print('Identity service:  %s   (consent page: /connect/authorize)' % sandbox.identity_url)
    print('  client id:     %s' % rest.client_id)
    print('  client secret: %s' % rest.client_secret)
    for redirect_uri in (rest.redirect_uri, *arguments.redirect_uri):
        print('  redirect URI:  %s' % redirect_uri)
    print('  control:  %s/_sandbox/calls, /_sandbox/faults, /_sandbox/rest, /_sandbox/consent, ... '
          '(see nmbrs/sandbox/control.py)' % sandbox.base_url, flush=True)

    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()


if __name__ == '__main__':
    main()
