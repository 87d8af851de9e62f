"""Takes the README's screenshots (static/description/) of a running demo, in headless Chromium.

Start the demo first (scripts/demo.sh), then, from the repository:

    .local/venv/bin/python scripts/screenshots.py [--url http://localhost:8069] [--db nmbrs_demo] [NAME ...]

NAME is settings, relation or documents (default: all three); each is saved
as static/description/screenshot_NAME.png. Chromium is driven over its
DevTools protocol, logged in as the demo's admin.
"""
import argparse
import base64
import json
import subprocess
import tempfile
import time
from itertools import count
from pathlib import Path

import requests
import websocket

DESCRIPTION = Path(__file__).resolve().parents[1] / 'static' / 'description'
SCREEN_NAMES = ('settings', 'relation', 'documents')
CLICK_NMBRS_TAB = """[...document.querySelectorAll('.o_notebook .nav-link')]
    .find((tab) => tab.innerText.trim() === 'Nmbrs').click()"""


def screens(relation_id):
    """{name: (path, script to run once the view is there, selector of the finished screen, width, height)}."""
    return {
        'settings': ('/odoo/settings#nmbrs_connector', None, '.o_setting_container', 1400, 900),
        # Tall enough for the relation's Nmbrs tab with its latest documents.
        'relation': ('/odoo/contacts/%d' % relation_id, CLICK_NMBRS_TAB, '.o_notebook .nav-link.active', 1400, 1250),
        'documents': ('/odoo/action-nmbrs_connector.action_nmbrs_document', None, '.o_list_view .o_data_row',
                      1400, 900),
    }


class Chromium:
    """A headless Chromium and one page of it, driven over the DevTools protocol."""

    def __init__(self, port=9333):
        self.profile = tempfile.TemporaryDirectory()
        self.process = subprocess.Popen(
            ['chromium', '--headless=new', '--no-sandbox', '--disable-gpu', '--hide-scrollbars',
             '--remote-debugging-port=%d' % port, '--user-data-dir=%s' % self.profile.name, 'about:blank'],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.ids = count(1)
        for _ in range(100):
            try:
                targets = requests.get('http://127.0.0.1:%d/json' % port, timeout=5).json()
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            raise RuntimeError("Chromium did not start")
        page = next(target for target in targets if target['type'] == 'page')
        self.socket = websocket.create_connection(page['webSocketDebuggerUrl'], suppress_origin=True)

    def call(self, method, **params):
        message_id = next(self.ids)
        self.socket.send(json.dumps({'id': message_id, 'method': method, 'params': params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get('id') == message_id:
                if 'error' in message:
                    raise RuntimeError('%s: %s' % (method, message['error']))
                return message.get('result', {})

    def evaluate(self, expression):
        return self.call('Runtime.evaluate', expression=expression, returnByValue=True)['result'].get('value')

    def wait_for(self, selector, timeout=30):
        deadline = time.time() + timeout
        while not self.evaluate('!!document.querySelector(%s)' % json.dumps(selector)):
            if time.time() > deadline:
                raise RuntimeError("the screen did not show %s" % selector)
            time.sleep(0.3)

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait()
        self.profile.cleanup()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--url', default='http://localhost:8069')
    parser.add_argument('--db', default='nmbrs_demo')
    parser.add_argument('names', nargs='*', metavar='NAME')
    arguments = parser.parse_args()
    unknown = set(arguments.names) - set(SCREEN_NAMES)
    if unknown:
        parser.error("no screenshot named %s; choose from %s" % (', '.join(sorted(unknown)), ', '.join(SCREEN_NAMES)))

    odoo = requests.Session()
    login = odoo.post(arguments.url + '/web/session/authenticate', json={
        'jsonrpc': '2.0', 'params': {'db': arguments.db, 'login': 'admin', 'password': 'admin'}}, timeout=30).json()
    if 'result' not in login:
        raise SystemExit("could not log in to the demo: %s" % login.get('error', {}).get('message'))
    # The relation with the most payroll documents shows the most.
    [relation] = odoo.post(arguments.url + '/web/dataset/call_kw', json={'jsonrpc': '2.0', 'params': {
        'model': 'nmbrs.document', 'method': 'formatted_read_group',
        'args': [[], ['partner_id'], ['__count']], 'kwargs': {'order': '__count desc', 'limit': 1}}},
        timeout=30).json()['result']

    chromium = Chromium()
    try:
        chromium.call('Network.setCookie', name='session_id', value=odoo.cookies['session_id'],
                      url=arguments.url)
        for name, (path, script, finished, width, height) in screens(relation['partner_id'][0]).items():
            if arguments.names and name not in arguments.names:
                continue
            chromium.call('Emulation.setDeviceMetricsOverride', width=width, height=height, deviceScaleFactor=1,
                          mobile=False)
            chromium.call('Page.navigate', url=arguments.url + path)
            chromium.wait_for('.o_action_manager .o_view_controller')
            if script:
                chromium.evaluate(script)
            chromium.wait_for(finished)
            time.sleep(2)  # fonts, badges and the chatter settle
            picture = chromium.call('Page.captureScreenshot', format='png')['data']
            target = DESCRIPTION / ('screenshot_%s.png' % name)
            target.write_bytes(base64.b64decode(picture))
            print('saved %s' % target)
    finally:
        chromium.close()


if __name__ == '__main__':
    main()
