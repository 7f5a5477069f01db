// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/http_parse.c: incremental HTTP/1.x response parser (RFC 9112), no I/O. */
#include "http_parse.h"

#include <string.h>

/* Longest chunk-size or trailer line we skip through; the head has its own buffer limit. */
#define MAX_LINE HTTP_PARSE_MAX_HEAD

enum state {
	ST_STATUS,		/* the status line, into head[] */
	ST_HEADERS,		/* header lines, into head[] */
	ST_BODY_LEN,		/* content_length - body_seen bytes left */
	ST_BODY_EOF,		/* the body ends when the peer closes */
	ST_CHUNK_SIZE,		/* hex digits of a chunk-size line */
	ST_CHUNK_WS,		/* blanks after the size: ';' or the line end must follow */
	ST_CHUNK_EXT,		/* a chunk extension, ignored up to LF */
	ST_CHUNK_LF,		/* CR ended the chunk-size line: LF must follow */
	ST_CHUNK_DATA,		/* chunk_left bytes of data */
	ST_DATA_CR,		/* CRLF (or LF) after the chunk data */
	ST_DATA_LF,
	ST_TRAILER,		/* trailer field lines, skipped up to an empty line */
	ST_TRAILER_CR,		/* a CR at the start of a trailer line */
};

static const char *const err_names[HTTP_PARSE_ERR__COUNT] = {
	[HTTP_PARSE_OK] = "ok",
	[HTTP_PARSE_DONE] = "done",
	[HTTP_PARSE_BAD_STATUS] = "bad status line",
	[HTTP_PARSE_BAD_HEADER] = "bad header line",
	[HTTP_PARSE_HEAD_TOO_BIG] = "head too big",
	[HTTP_PARSE_BAD_LENGTH] = "bad Content-Length",
	[HTTP_PARSE_BAD_CHUNK] = "bad chunk framing",
	[HTTP_PARSE_TRUNCATED] = "truncated response",
};

const char *http_parse_err_str(enum http_parse_err e)
{
	return (unsigned)e < HTTP_PARSE_ERR__COUNT ? err_names[e] : "unknown";
}

void http_parse_init(struct http_parser *p, const struct http_parse_cb *cb, uint8_t *head,
		     size_t head_max)
{
	memset(p, 0, sizeof(*p));
	if (cb)
		p->cb = *cb;
	p->head = head;
	p->head_max = head_max < HTTP_PARSE_MAX_HEAD ? head_max : HTTP_PARSE_MAX_HEAD;
	p->state = ST_STATUS;
	p->err = HTTP_PARSE_OK;
}

static bool is_blank(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/* OWS inside a field value; CR and LF only occur there where obs-fold joined two lines */
static bool is_ws(uint8_t c)
{
	return is_blank(c) || c == '\r' || c == '\n';
}

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static int hex_val(uint8_t c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* RFC 9110 §5.6.2 tchar */
static bool is_tchar(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
	       (c != 0 && strchr("!#$%&'*+-.^_`|~", c));
}

static uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static bool eq_ci(const uint8_t *s, size_t len, const char *lit)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (lit[i] == '\0' || lower(s[i]) != (uint8_t)lit[i])
			return false;
	return lit[i] == '\0';
}

/* Trims OWS around [*s, *e). */
static void trim(const uint8_t *h, size_t *s, size_t *e)
{
	while (*s < *e && is_ws(h[*s]))
		(*s)++;
	while (*e > *s && is_ws(h[*e - 1]))
		(*e)--;
}

/*
 * "HTTP/1." DIGIT SP 3DIGIT [ SP reason ]. Like common clients we take runs of
 * blanks as separators, an omitted reason and any bytes in it (RFC 9112 §4: a
 * client SHOULD ignore the reason-phrase).
 */
static enum http_parse_err parse_status(struct http_parser *p, size_t e)
{
	const uint8_t *h = p->head;
	size_t i = 7;			/* "HTTP/1." was checked as it arrived */
	int status = 0;

	if (i >= e || !is_digit(h[i]))
		return HTTP_PARSE_BAD_STATUS;
	p->version_minor = h[i++] - '0';
	if (i >= e || !is_blank(h[i]))
		return HTTP_PARSE_BAD_STATUS;
	while (i < e && is_blank(h[i]))
		i++;
	for (int n = 0; n < 3; n++, i++) {
		if (i >= e || !is_digit(h[i]))
			return HTTP_PARSE_BAD_STATUS;
		status = status * 10 + (h[i] - '0');
	}
	/* RFC 9110 §15: 100..599 are defined, and servers use up to 999 internally */
	if (status < 100 || (i < e && !is_blank(h[i])))
		return HTTP_PARSE_BAD_STATUS;
	p->status = status;
	return HTTP_PARSE_OK;
}

/*
 * Content-Length = 1*DIGIT, as a list of identical values ("42, 42") or repeated
 * fields with one value (RFC 9110 §8.6); anything else is an error, since the
 * framing depends on it.
 */
static enum http_parse_err content_length(struct http_parser *p, size_t s, size_t e)
{
	const uint8_t *h = p->head;

	for (;;) {
		size_t c = s, ee;
		uint64_t v = 0;

		while (c < e && h[c] != ',')
			c++;
		ee = c;
		trim(h, &s, &ee);
		if (s == ee)
			return HTTP_PARSE_BAD_LENGTH;
		for (; s < ee; s++) {
			if (!is_digit(h[s]) || v > ((uint64_t)INT64_MAX - (h[s] - '0')) / 10)
				return HTTP_PARSE_BAD_LENGTH;
			v = v * 10 + (h[s] - '0');
		}
		if (p->has_length && v != p->content_length)
			return HTTP_PARSE_BAD_LENGTH;
		p->has_length = true;
		p->content_length = v;
		if (c == e)
			return HTTP_PARSE_OK;
		s = c + 1;
	}
}

/*
 * Transfer-Encoding is a list of codings over all its fields; only the last one
 * decides: chunked, or else the body runs to the close (RFC 9112 §6.3).
 */
static void transfer_encoding(struct http_parser *p, size_t s, size_t e)
{
	const uint8_t *h = p->head;

	while (s < e) {
		size_t c = s, ee;

		while (c < e && h[c] != ',')
			c++;
		ee = c;
		for (size_t k = s; k < ee; k++)
			if (h[k] == ';') {	/* transfer-parameters */
				ee = k;
				break;
			}
		trim(h, &s, &ee);
		if (s < ee) {		/* empty list elements do not count */
			p->has_te = true;
			p->chunked = eq_ci(h + s, ee - s, "chunked");
		}
		s = c + 1;
	}
}

/* The field that starts at field_start ends where the line at end starts. */
static enum http_parse_err finish_field(struct http_parser *p, size_t end)
{
	const uint8_t *h = p->head;
	size_t s = p->field_start, colon = s, ne;

	if (s == 0)
		return HTTP_PARSE_OK;
	p->field_start = 0;
	while (h[colon] != ':')		/* check_field() found one */
		colon++;
	ne = colon;
	while (ne > s && is_blank(h[ne - 1]))
		ne--;
	if (eq_ci(h + s, ne - s, "content-length"))
		return content_length(p, colon + 1, end);
	if (eq_ci(h + s, ne - s, "transfer-encoding"))
		transfer_encoding(p, colon + 1, end);
	return HTTP_PARSE_OK;
}

/*
 * A field line [s, e), without its line end: a token, optional blanks (which
 * proxies strip, RFC 9112 §5.1), ':' and a value without NUL or bare CR
 * (RFC 9110 §5.5). A continuation line (obs-fold) has only a value.
 */
static enum http_parse_err check_field(const uint8_t *h, size_t s, size_t e, bool folded)
{
	size_t i = s;

	if (!folded) {
		while (i < e && is_tchar(h[i]))
			i++;
		if (i == s)
			return HTTP_PARSE_BAD_HEADER;
		while (i < e && is_blank(h[i]))
			i++;
		if (i == e || h[i] != ':')
			return HTTP_PARSE_BAD_HEADER;
	}
	for (; i < e; i++)
		if (h[i] == '\0' || h[i] == '\r')
			return HTTP_PARSE_BAD_HEADER;
	return HTTP_PARSE_OK;
}

/* The head is in: choose how the body is delimited (RFC 9112 §6.3). */
static enum http_parse_err end_of_head(struct http_parser *p)
{
	enum http_parse_err r = HTTP_PARSE_OK;

	if (p->has_te) {
		p->has_length = false;
		p->content_length = 0;
	}
	if (p->status < 200 || p->status == 204 || p->status == 304)
		r = HTTP_PARSE_DONE;
	else if (p->chunked)
		p->state = ST_CHUNK_SIZE;
	else if (p->has_length)
		p->state = ST_BODY_LEN;
	else
		p->state = ST_BODY_EOF;
	if (p->state == ST_BODY_LEN && p->content_length == 0)
		r = HTTP_PARSE_DONE;
	p->line_len = 0;
	if (p->cb.on_head)
		p->cb.on_head(p->cb.arg, p->head, p->head_len);
	return r;
}

/* A complete head line ends at head_len (its LF included) and is line_len long. */
static enum http_parse_err head_line(struct http_parser *p)
{
	const uint8_t *h = p->head;
	size_t s = p->head_len - p->line_len, e = p->head_len - 1;
	enum http_parse_err r;

	p->line_len = 0;
	if (e > s && h[e - 1] == '\r')	/* CRLF, or a bare LF (RFC 9112 §2.2) */
		e--;
	if (p->state == ST_STATUS) {
		p->state = ST_HEADERS;
		return parse_status(p, e);
	}
	if (s == e) {
		r = finish_field(p, s);
		return r != HTTP_PARSE_OK ? r : end_of_head(p);
	}
	if (is_blank(h[s])) {
		/* obs-fold: part of the previous field's value (RFC 9112 §5.2) */
		if (p->field_start == 0)
			return HTTP_PARSE_BAD_HEADER;
		return check_field(h, s, e, true);
	}
	if ((r = check_field(h, s, e, false)) != HTTP_PARSE_OK ||
	    (r = finish_field(p, s)) != HTTP_PARSE_OK)
		return r;
	p->field_start = s;
	return HTTP_PARSE_OK;
}

/* Copies up to one line into head[]; returns the bytes used. */
static size_t feed_head(struct http_parser *p, const uint8_t *data, size_t len)
{
	static const char prefix[] = "HTTP/1.";
	size_t room = p->head_max - p->head_len;
	size_t n = len < room ? len : room;
	const uint8_t *lf = memchr(data, '\n', n);

	if (lf)
		n = (size_t)(lf - data) + 1;
	memcpy(p->head + p->head_len, data, n);
	p->head_len += n;
	p->line_len += (unsigned)n;	/* n <= HTTP_PARSE_MAX_HEAD */
	/* Fail on a non-HTTP reply as soon as it shows, not after 16 KB or the close */
	if (p->state == ST_STATUS &&
	    memcmp(p->head, prefix, p->head_len < 7 ? p->head_len : 7) != 0)
		p->err = HTTP_PARSE_BAD_STATUS;
	else if (lf)
		p->err = head_line(p);
	else if (len > n)
		p->err = HTTP_PARSE_HEAD_TOO_BIG;
	return n;
}

/* Body bytes of any framing; returns the bytes used. */
static size_t feed_body(struct http_parser *p, const uint8_t *data, size_t len)
{
	uint64_t left = p->state == ST_BODY_LEN ? p->content_length - p->body_seen :
			p->state == ST_CHUNK_DATA ? p->chunk_left : UINT64_MAX;
	size_t n = len < left ? len : (size_t)left;

	if (p->cb.on_body)
		p->cb.on_body(p->cb.arg, data, n);
	p->body_seen += n;
	if (p->state == ST_BODY_LEN && p->body_seen == p->content_length) {
		p->err = HTTP_PARSE_DONE;
	} else if (p->state == ST_CHUNK_DATA) {
		p->chunk_left -= n;
		if (p->chunk_left == 0) {
			p->state = ST_DATA_CR;
			p->line_len = 0;
		}
	}
	return n;
}

static enum http_parse_err chunk_size_done(struct http_parser *p)
{
	p->line_len = 0;
	if (p->chunk_left == 0) {
		p->state = ST_TRAILER;
		return HTTP_PARSE_OK;
	}
	/* keeps body_seen within 63 bits too */
	if (p->chunk_left > (uint64_t)INT64_MAX - p->body_seen)
		return HTTP_PARSE_BAD_CHUNK;
	p->state = ST_CHUNK_DATA;
	return HTTP_PARSE_OK;
}

/* What may follow the size: an extension, or the line end. */
static enum http_parse_err chunk_size_end(struct http_parser *p, uint8_t c)
{
	switch (c) {
	case ';':
		p->state = ST_CHUNK_EXT;
		return HTTP_PARSE_OK;
	case '\r':
		p->state = ST_CHUNK_LF;
		return HTTP_PARSE_OK;
	case '\n':
		return chunk_size_done(p);
	default:
		return HTTP_PARSE_BAD_CHUNK;
	}
}

/*
 * One byte of chunk framing (RFC 9112 §7.1): chunk-size [ chunk-ext ] CRLF,
 * CRLF after the data, and after the last chunk a trailer section we skip.
 */
static enum http_parse_err chunk_byte(struct http_parser *p, uint8_t c)
{
	int d;

	if (++p->line_len > MAX_LINE)
		return HTTP_PARSE_BAD_CHUNK;
	switch (p->state) {
	case ST_CHUNK_SIZE:
		d = hex_val(c);
		if (d >= 0) {
			if (p->chunk_left > ((uint64_t)INT64_MAX - (uint64_t)d) / 16)
				return HTTP_PARSE_BAD_CHUNK;
			p->chunk_left = p->chunk_left * 16 + (uint64_t)d;
			return HTTP_PARSE_OK;
		}
		if (p->line_len == 1)	/* no digit */
			return HTTP_PARSE_BAD_CHUNK;
		if (is_blank(c)) {
			p->state = ST_CHUNK_WS;
			return HTTP_PARSE_OK;
		}
		return chunk_size_end(p, c);
	case ST_CHUNK_WS:
		return is_blank(c) ? HTTP_PARSE_OK : chunk_size_end(p, c);
	case ST_CHUNK_EXT:
		return c == '\n' ? chunk_size_done(p) : HTTP_PARSE_OK;
	case ST_CHUNK_LF:
		return c == '\n' ? chunk_size_done(p) : HTTP_PARSE_BAD_CHUNK;
	case ST_DATA_CR:
	case ST_DATA_LF:
		if (c == '\r' && p->state == ST_DATA_CR) {
			p->state = ST_DATA_LF;
			return HTTP_PARSE_OK;
		}
		if (c != '\n')		/* CRLF, or a bare LF */
			return HTTP_PARSE_BAD_CHUNK;
		p->state = ST_CHUNK_SIZE;
		p->line_len = 0;
		return HTTP_PARSE_OK;
	case ST_TRAILER:
		if (c == '\r' && p->line_len == 1) {
			p->state = ST_TRAILER_CR;
		} else if (c == '\n') {
			if (p->line_len == 1)
				return HTTP_PARSE_DONE;
			p->line_len = 0;
		}
		return HTTP_PARSE_OK;
	case ST_TRAILER_CR:
		if (c == '\n')
			return HTTP_PARSE_DONE;
		p->state = ST_TRAILER;	/* a field line that starts with a bare CR: skipped */
		return HTTP_PARSE_OK;
	default:
		return HTTP_PARSE_BAD_CHUNK;	/* not reached: the caller dispatches */
	}
}

/*
 * Inside a chunk extension or a trailer line past its first byte only the LF
 * matters: skip up to it (and at most to the line limit) in one go. chunk_byte()
 * then takes the LF, or fails the line for its length.
 */
static size_t skip_line(struct http_parser *p, const uint8_t *data, size_t len)
{
	size_t room = MAX_LINE - p->line_len;
	size_t n = len < room ? len : room;
	const uint8_t *lf;

	if (p->state != ST_CHUNK_EXT && (p->state != ST_TRAILER || p->line_len == 0))
		return 0;
	lf = memchr(data, '\n', n);
	if (lf)
		n = (size_t)(lf - data);
	p->line_len += (unsigned)n;	/* n <= MAX_LINE */
	return n;
}

enum http_parse_err http_parse_feed(struct http_parser *p, const uint8_t *data, size_t len)
{
	size_t i = 0, n;

	while (p->err == HTTP_PARSE_OK && i < len) {
		switch (p->state) {
		case ST_STATUS:
		case ST_HEADERS:
			i += feed_head(p, data + i, len - i);
			break;
		case ST_BODY_LEN:
		case ST_BODY_EOF:
		case ST_CHUNK_DATA:
			i += feed_body(p, data + i, len - i);
			break;
		default:
			n = skip_line(p, data + i, len - i);
			i += n;
			if (n == 0)
				p->err = chunk_byte(p, data[i++]);
			break;
		}
	}
	return p->err;
}

enum http_parse_err http_parse_eof(struct http_parser *p)
{
	if (p->err == HTTP_PARSE_OK)
		p->err = p->state == ST_BODY_EOF ? HTTP_PARSE_DONE : HTTP_PARSE_TRUNCATED;
	return p->err;
}
