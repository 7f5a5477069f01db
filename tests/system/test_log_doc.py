# SPDX-License-Identifier: GPL-2.0-or-later
"""keepalived(8) LOG MESSAGES says what we log: every line documented there (an entry's
tag, in bold with its variable parts in italics) matches the format string of a log call
in the sources, so renaming a line without its entry (or the reverse) fails here.

A format's conversions (%s, %u, ...) match any text; bold words that fall in one (a
"%s service %s" filled with "Removing") must be words of a string literal of the
sources, so that the words chosen in code are checked too. Italic parts are placeholders
(ADDRESS, VI_1, N): they must fall where a conversion is, never on the format's own words.
Make a change fail once: an entry's word changed, or a log line's.

Run: /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/system/test_log_doc.py (no
daemon, no namespace: the sources and the page only)."""
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAN = ROOT / 'doc' / 'keepalived.8'
SOURCES = [p for d in ('keepalived', 'lib') for p in sorted((ROOT / d).rglob('*.[ch]'))]
SECTION = 'LOG MESSAGES'

LOG_CALL = re.compile(r'\blog_(?:info|warn|err|notice|debug|detail|msg)\s*\(')
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
CONVERSION = re.compile(r'%%|%[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?'
                        r'(?:hh|h|ll|l|z|j|t|L)?[diouxXeEfgGcspm]')
WORD = re.compile(r'\b[A-Za-z_][A-Za-z_0-9]+')


# --- the sources: the formats of the log calls, and every literal's words -----------

def c_unescape(s):
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t'}.get(m.group(1), m.group(1)), s)


def strip_comments(src):
    """C comments and character constants out, string literals kept (a "/*" inside a
    literal stays, a '"' does not start one)."""
    return re.sub(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)+\'|/\*.*?\*/|//[^\n]*',
                  lambda m: m.group(0) if m.group(0).startswith('"') else ' ', src, flags=re.S)


def call_args(src, start):
    """The text of a call's arguments, from just after its '('."""
    depth, i = 1, start
    while depth and i < len(src):
        c = src[i]
        if c == '"':
            m = LITERAL.match(src, i)
            i = m.end() if m else i + 1
            continue
        depth += (c == '(') - (c == ')')
        i += 1
    return src[start:i - 1]


def call_formats(args):
    """Each string of the arguments (a literal with the literals adjacent to it, C
    concatenation): the format, or the formats a ternary chooses from (others are
    arguments, which match nothing whole)."""
    return [c_unescape(''.join(LITERAL.findall(m.group(0))))
            for m in re.finditer(r'"(?:[^"\\\n]|\\.)*"(?:\s*"(?:[^"\\\n]|\\.)*")*', args)]


def format_regex(fmt):
    out, pos = [], 0
    for m in CONVERSION.finditer(fmt):
        out.append(re.escape(fmt[pos:m.start()]))
        out.append('%' if m.group(0) == '%%' else '(.*?)')	# "%s" may be ""
        pos = m.end()
    out.append(re.escape(fmt[pos:]))
    return re.compile(''.join(out), re.S)


def load_sources():
    formats, words = {}, set()
    for path in SOURCES:
        src = strip_comments(path.read_text(errors='replace'))
        for lit in LITERAL.findall(src):
            words.update(WORD.findall(c_unescape(lit)))
        for m in LOG_CALL.finditer(src):
            for fmt in call_formats(call_args(src, m.end())):
                line = src.count('\n', 0, m.start()) + 1
                formats.setdefault(fmt, f'{path.relative_to(ROOT)}:{line}')
    # a format with no word of its own ("%s", "%-13s%s") logs a line built elsewhere:
    # it would match anything
    return [(format_regex(f), f, where) for f, where in formats.items()
            if WORD.search(CONVERSION.sub(' ', f))], words


# --- the man page: the entries of LOG MESSAGES -------------------------------------

def macro_args(rest):
    """roff macro arguments: "quoted" (with "" for a quote) or words."""
    return [m.group(1).replace('""', '"') if m.group(1) is not None else m.group(2)
            for m in re.finditer(r'"((?:[^"]|"")*)"|(\S+)', rest)]


def roff_segments(text, italic):
    """[(text, italic)] of one argument, with \\f font changes and escapes resolved."""
    segs = []
    for piece in re.split(r'(\\f[BIRP])', text):
        if re.fullmatch(r'\\f[BIRP]', piece):
            italic = piece[2] == 'I'
            continue
        piece = (piece.replace('\\-', '-').replace('\\&', '').replace('\\e', '\\')
                 .replace('\\(em', '\u2014'))
        if piece:
            segs.append((piece, italic))
    return segs


def entry_segments(line):
    macro, _, rest = line.partition(' ')
    args = macro_args(rest)
    if macro == '.B':
        return roff_segments(' '.join(args), False)
    fonts = {'.BI': (False, True), '.IB': (True, False)}[macro]
    segs = []
    for i, a in enumerate(args):
        segs += roff_segments(a, fonts[i % 2])
    return segs


def documented_lines():
    """(man page line number, [(text, italic)]) of every entry's tag in LOG MESSAGES."""
    lines = MAN.read_text().split('\n')
    start = lines.index(f'.SH {SECTION}')
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith('.SH '))
    out = []
    for i in range(start + 1, end):
        if lines[i - 1] in ('.TP', '.TQ') and re.match(r'\.(B|BI|IB) ', lines[i]):
            out.append((i + 1, entry_segments(lines[i])))
    return out, (start + 1, end)


def plain(segs):
    return ''.join(t for t, _ in segs)


def bold_words(segs, lo, hi):
    """The words in bold between offsets lo and hi of the plain text."""
    words, pos = [], 0
    for text, italic in segs:
        a, b = max(lo, pos), min(hi, pos + len(text))
        if not italic and a < b:
            # a word with a digit is an example value (eth0, VI_1)
            words += [w for w in WORD.findall(text[a - pos:b - pos])
                      if not re.search(r'\d', w)]
        pos += len(text)
    return words


def italic_in_conversions(segs, m):
    """Every italic character (a placeholder) is one a conversion fills: the format's
    own words are never set in italics."""
    filled = set()
    for g in range(1, (m.re.groups or 0) + 1):
        filled.update(range(*m.span(g)))
    pos = 0
    for text, italic in segs:
        if italic and not all(i in filled for i in range(pos, pos + len(text))):
            return False
        pos += len(text)
    return True


def match(segs, formats, words):
    """The format (and where) that logs this line, or None."""
    text = plain(segs)
    for rx, fmt, where in formats:
        m = rx.fullmatch(text)
        if m and italic_in_conversions(segs, m) and \
                all(w in words for g in range(1, (rx.groups or 0) + 1)
                    for w in bold_words(segs, *m.span(g))):
            return fmt, where
    return None


@pytest.fixture(scope='module')
def sources():
    return load_sources()


def test_every_documented_line_is_logged(sources):
    formats, words = sources
    entries, _ = documented_lines()
    # the parser found the section's entries (a broken parser must not pass vacuously)
    assert len(entries) >= 100, f'only {len(entries)} entries found in {SECTION}'
    missing = [f'keepalived.8:{n}: {plain(segs)!r}' for n, segs in entries
               if not match(segs, formats, words)]
    assert not missing, 'documented in LOG MESSAGES, logged by no log call:\n' + '\n'.join(missing)


def test_state_lines_documented(sources):
    """The lines a log watcher keys on are in the section, as the code logs them."""
    formats, words = sources
    entries, _ = documented_lines()
    texts = {plain(segs) for _, segs in entries}
    for want in ('(VI_1) Entering MASTER STATE', '(VI_1) Entering BACKUP STATE',
                 '(VI_1) Entering FAULT STATE', 'Netlink reports IF down',
                 'VRRP_Script(chk) failed', 'TCP connection to RS failed.',
                 'Removing service RS from VS VS', 'Lost quorum N-N=N > N for VS VS',
                 'Stopping', 'VRRP child process(PID) is not responding: killing it'):
        assert want in texts, f'{want!r} is not documented in {SECTION}'


def test_matcher_rejects_a_wrong_line(sources):
    """The check can fail: a word changed, a word added, a bold word in a conversion that
    no literal has, the format's own words in italics, are all refused."""
    formats, words = sources
    assert match([('(', False), ('VI_1', True), (') Entering MASTER STATE', False)],
                 formats, words)
    for bad in ([('(', False), ('VI_1', True), (') Entering MASTER STATUS', False)],
                [('(', False), ('VI_1', True), (') Entering MASTER STATE now', False)],
                [('Frobbing service ', False), ('RS', True), (' from VS ', False),
                 ('VS', True)],
                [('(', False), ('VI_1', True), (') Entering ', False), ('MASTER STATE', True)]):
        assert match(bad, formats, words) is None, plain(bad)


def test_log_section_renders_without_warnings():
    """groff -ww: no warning on a line of LOG MESSAGES."""
    _, (lo, hi) = documented_lines()
    r = subprocess.run(['groff', '-man', '-Tutf8', '-ww', str(MAN)],
                       capture_output=True, text=True, check=True)
    bad = [w for w in r.stderr.splitlines()
           if (m := re.search(r':(\d+): warning', w)) and lo <= int(m.group(1)) <= hi]
    assert not bad, '\n'.join(bad)
