import subprocess
import sys
import tempfile
from pathlib import Path

from .common import PlainCase

REPO = Path(__file__).resolve().parent.parent

# Runs in a fresh Python, as the demo's Odoo does: Odoo's logging set up from
# the demo's configuration, then what the demo's console used to show.
CONSOLE = """
import logging, sys, warnings
from odoo.tools import config
from odoo import netsvc
config.parse_config(['-c', sys.argv[1], '--log-level=warn'])
netsvc.init_logger()
from werkzeug import urls
urls.url_encode({'signup': 1})
logging.getLogger('odoo.addons.nmbrs_connector.models').warning('the addon still warns')
"""


class TestDemoConsole(PlainCase):

    def test_odoo_deprecation_stacks_stay_out_and_addon_warnings_show(self):
        with tempfile.TemporaryDirectory() as folder:
            conf = Path(folder, 'demo.conf')
            conf.write_text('[options]\n' + (REPO / 'scripts' / 'demo_console.conf').read_text())
            console = subprocess.run(
                [sys.executable, '-c', CONSOLE, str(conf)],
                capture_output=True, text=True, timeout=120, check=True,
            )
        output = console.stdout + console.stderr
        self.assertIn('the addon still warns', output)
        self.assertNotIn('DeprecationWarning', output)
        self.assertNotIn('File "', output, 'a stack on the demo console')
