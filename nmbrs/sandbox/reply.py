"""What the sandbox sends back for one HTTP request."""
from dataclasses import dataclass

from .. import api_facts

HTML = 'text/html; charset=utf-8'
JSON = 'application/json'


@dataclass
class Reply:
    status: int
    body: bytes = b''
    content_type: str = api_facts.SOAP11_CONTENT_TYPE
    drop: bool = False  # close the connection without answering
    headers: dict = None  # more headers, e.g. Location or Retry-After


def html_reply(status, title):
    return Reply(status, ('<html><head><title>%s</title></head><body><h1>%s</h1></body></html>'
                          % (title, title)).encode(), HTML)
