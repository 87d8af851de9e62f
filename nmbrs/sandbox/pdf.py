"""A minimal PDF writer: one A4 page of Helvetica text lines.

Enough for the sandbox's payslips and annual documents: small, valid (correct
xref offsets) and readable by PyPDF2 and browsers.
"""
import unicodedata

PAGE_WIDTH, PAGE_HEIGHT = 595, 842
MARGIN = 56
TITLE_SIZE, TEXT_SIZE, LEADING = 15, 10, 14


def _winansi(text):
    """Encode for Helvetica's WinAnsiEncoding; letters it lacks (e.g. the s-cedilla) lose their accent."""
    encoded = bytearray()
    for char in text:
        try:
            encoded += char.encode('cp1252')
        except UnicodeEncodeError:
            base = unicodedata.normalize('NFKD', char).encode('cp1252', 'ignore')
            encoded += base or b'?'
    return bytes(encoded)


def _pdf_string(text):
    escaped = _winansi(text).replace(b'\\', b'\\\\').replace(b'(', b'\\(').replace(b')', b'\\)')
    return b'(' + escaped + b')'


def render_pdf(title, lines):
    """Return the bytes of a one-page PDF showing ``title`` and then ``lines``."""
    content = [b'BT', b'/F1 %d Tf' % TITLE_SIZE, b'%d TL' % LEADING,
               b'%d %d Td' % (MARGIN, PAGE_HEIGHT - MARGIN), _pdf_string(title) + b' Tj T* T*',
               b'/F1 %d Tf' % TEXT_SIZE]
    content += [_pdf_string(line) + b' Tj T*' for line in lines]
    content.append(b'ET')
    stream = b'\n'.join(content)
    objects = [
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [4 0 R] /Count 1 >>',
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >>'
        b' /Contents 5 0 R >>' % (PAGE_WIDTH, PAGE_HEIGHT),
        b'<< /Length %d >>\nstream\n' % len(stream) + stream + b'\nendstream',
        b'<< /Title ' + _pdf_string(title) + b' /Producer (Nmbrs sandbox) >>',
    ]
    pdf = bytearray(b'%PDF-1.4\n%\xe2\xe3\xcf\xd3\n')
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b'%d 0 obj\n' % number + body + b'\nendobj\n'
    xref_offset = len(pdf)
    pdf += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objects) + 1)
    pdf += b''.join(b'%010d 00000 n \n' % offset for offset in offsets)
    pdf += b'trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (
        len(objects) + 1, xref_offset)
    return bytes(pdf)
