// SPDX-License-Identifier: GPL-2.0-or-later
/* genhash/genhash.c: keepalived's genhash: the MD5 of a web page, as HTTP_GET/SSL_GET's digest. */
#include "genhash.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "check/http_fetch.h"
#include "log.h"
#include "scheduler.h"
#include "utils.h"

/* keepalived's genhash reads into a 4096-byte buffer, one byte kept for a NUL. */
#define GENHASH_READ_MAX 4095

struct genhash_opts {
	struct sockaddr_storage addr;
	socklen_t addr_len;
	const char *server;		/* as given, NULL until -s */
	unsigned port;			/* 0 until -p */
	const char *url;		/* NULL until -u */
	const char *vhost;		/* -V: Host header, and SNI with -I */
	uint32_t fwmark;
	uint32_t timeout_s;		/* 0 with has_timeout: time out at once */
	bool has_timeout;
	bool tls, sni, verbose;
	enum http_fetch_proto proto;
};

struct genhash {
	const struct genhash_opts *o;
	struct sched *s;
	struct http_fetch *fetch;
	struct sched_ev *ev_int, *ev_term;
	bool head_now;			/* the current read completed the head */
	uint64_t start_us;
};

static const char banner_head[] =
	"-----------------------[    HTTP Header Buffer    ]-----------------------";
static const char banner_ascii[] =
	"-----------------------[ HTTP Header Ascii Buffer ]-----------------------";
static const char banner_html[] =
	"-----------------------[        HTML Buffer        ]-----------------------";
static const char banner_hash[] =
	"-----------------------[    HTML hash resulting    ]-----------------------";
static const char banner_final[] =
	"-----------------------[ HTML hash final resulting ]-----------------------";

static void usage(const char *prog)
{
	fprintf(stderr,
		"Usage: %s COMMAND [OPTIONS]\n"
		"Commands:\n"
		"   -s server-address -p port -u url\n"
		"   -S -s server-address -p port -u url\n"
		"   -h\n"
		"\n"
		"Options:\n"
		"Either long or short options are allowed.\n"
		"   --use-ssl         -S       Use SSL connection to remote server.\n"
		"   --use-sni         -I       Use SNI during SSL handshake (uses virtualhost setting; see -V).\n"
		"   --server          -s       Use the specified remote server address.\n"
		"   --port            -p       Use the specified remote server port.\n"
		"   --url             -u       Use the specified remote server url.\n"
		"   --use-virtualhost -V       Use the specified virtualhost in GET query.\n"
		"   --verbose         -v       Use verbose mode output.\n"
		"   --help            -h       Display this short inlined help screen.\n"
		"   --fwmark          -m       Use the specified FW mark.\n"
		"   --protocol        -P       Use the specified HTTP protocol - '1.0', 1.0c', '1.1'.\n"
		"                                1.0c means 1.0 with 'Connection: close'\n"
		"   --timeout         -t       Timeout in seconds\n",
		prog);
}

/* A hex + ASCII dump, 16 bytes a line, offsets in decimal: keepalived's layout. */
static void dump(const uint8_t *d, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t off = 0; off < len; off += 16) {
		char line[96], *p = line;

		p += snprintf(line, sizeof(line), "%04zu  ", off);
		for (size_t i = 0; i < 16; i++) {
			if (i == 8) {
				*p++ = '-';
				*p++ = ' ';
			}
			if (off + i < len) {
				*p++ = hex[d[off + i] >> 4];
				*p++ = hex[d[off + i] & 15];
			} else {
				*p++ = ' ';
				*p++ = ' ';
			}
			*p++ = ' ';
		}
		*p++ = ' ';
		*p++ = ' ';
		for (size_t i = 0; i < 16; i++) {
			uint8_t c = off + i < len ? d[off + i] : ' ';

			*p++ = c >= 0x20 && c < 0x7f ? (char)c : '.';
		}
		*p++ = '\n';
		fwrite(line, 1, (size_t)(p - line), stdout);
	}
}

static void print_time(const struct genhash *g, uint64_t us)
{
	if (g->o->verbose)
		printf("\nGlobal response time for [%s] = %" PRIu64 " usecs\n", g->o->url, us);
}

/* A one-line outcome, then the time (verbose). */
static void print_msg(const struct genhash *g, const char *msg, uint64_t us)
{
	printf("%s\n", msg);
	print_time(g, us);
}

/*
 * The end of a fetch that got through: the hash section (verbose), the digest
 * line (or what keepalived prints in its place; NULL: nothing), the time.
 * keepalived leaves the hash section out when a TLS stream ends without
 * close_notify or with an error; full is false then.
 */
static void print_end(const struct genhash *g, const struct http_fetch_result *r, bool full,
		      const char *line)
{
	if (g->o->verbose && full) {
		printf("\n%s\n", banner_hash);
		dump(r->md5, sizeof(r->md5));
		printf("%s\n", banner_final);
	}
	if (line)
		printf("%s\n", line);
	print_time(g, r->elapsed_us);
}

static void no_data(const struct genhash *g, const struct http_fetch_result *r, bool full)
{
	fprintf(stderr, "no data received from remote webserver\n");
	print_end(g, r, full, NULL);
}

static void print_result(const struct genhash *g, const struct http_fetch_result *r)
{
	const bool tls = g->o->tls;
	char hex[2 * sizeof(r->md5) + 1];

	for (size_t i = 0; i < sizeof(r->md5); i++)
		snprintf(hex + 2 * i, 3, "%02x", r->md5[i]);

	switch (r->why) {
	case HTTP_FETCH_OK:
	case HTTP_FETCH_TRUNCATED:	/* keepalived hashes what came, like a close-delimited body */
		print_end(g, r, !(tls && r->tls_unclean_close), hex);
		break;
	case HTTP_FETCH_NO_HEAD:
		if (tls && !r->tls_unclean_close)
			print_end(g, r, true, "SSL read error from");
		else
			no_data(g, r, !tls);
		break;
	case HTTP_FETCH_BAD_RESPONSE:
		/* keepalived gives up on a head that does not fit its buffer as on no data */
		if (r->parse_err == HTTP_PARSE_HEAD_TOO_BIG) {
			no_data(g, r, !tls);
			break;
		}
		/* keepalived hashes anything after a blank line; we stop at a broken response */
		fprintf(stderr, "invalid HTTP response from remote webserver: %s\n",
			http_parse_err_str(r->parse_err));
		print_end(g, r, !tls, NULL);
		break;
	case HTTP_FETCH_RECV_FAILED:
		if (!tls)
			print_msg(g, "Read error with", r->elapsed_us);
		else if (r->head_len)
			print_end(g, r, false, hex);
		else
			no_data(g, r, false);
		break;
	case HTTP_FETCH_NO_ROUTE:
		print_msg(g, "HTTP_CHECK - network unreachable", r->elapsed_us);
		break;
	case HTTP_FETCH_CONNECT_FAILED:
		print_msg(g, "Connection failed", r->elapsed_us);
		break;
	case HTTP_FETCH_CONNECT_TIMEOUT:
	case HTTP_FETCH_TLS_TIMEOUT:
		print_msg(g, "Timeout connecting", r->elapsed_us);
		break;
	case HTTP_FETCH_TLS_FAILED:
		print_msg(g, "SSL handshake/communication error connecting to", r->elapsed_us);
		break;
	case HTTP_FETCH_SEND_FAILED:
		print_msg(g, "Cannot send get request to", r->elapsed_us);
		break;
	case HTTP_FETCH_SEND_TIMEOUT:
		print_msg(g, "Timeout WEB write", r->elapsed_us);
		break;
	case HTTP_FETCH_RECV_TIMEOUT:
		print_msg(g, !r->readable ? "Timeout WEB read" :
			     tls ? "Timeout SSL read" : "Timeout HTTP read", r->elapsed_us);
		break;
	case HTTP_FETCH__COUNT:
		break;
	}
}

static void on_read(void *arg, size_t len, bool in_head)
{
	struct genhash *g = arg;

	g->head_now = false;
	if (g->o->verbose && in_head)
		printf("%s\n", banner_head);
}

static void on_head(void *arg, const uint8_t *head, size_t len)
{
	struct genhash *g = arg;

	g->head_now = true;
	if (!g->o->verbose)
		return;
	dump(head, len);
	printf("%s\n", banner_ascii);
	fwrite(head, 1, len, stdout);
	putchar('\n');
}

static void on_body(void *arg, const uint8_t *data, size_t len)
{
	struct genhash *g = arg;

	if (!g->o->verbose)
		return;
	/* keepalived names the body section only when it shares a read with the head */
	if (g->head_now)
		printf("%s\n", banner_html);
	g->head_now = false;
	dump(data, len);
}

static void stop(struct genhash *g)
{
	sched_cancel(&g->ev_int);
	sched_cancel(&g->ev_term);
	sched_stop(g->s);
}

static void on_done(void *arg, const struct http_fetch_result *r)
{
	struct genhash *g = arg;

	print_result(g, r);
	http_fetch_free(g->fetch);
	g->fetch = NULL;
	stop(g);
}

/* SIGINT, SIGTERM: give up; keepalived's genhash prints only the time (verbose). */
static void on_signal(struct sched_ev *ev, void *arg)
{
	struct genhash *g = arg;

	(void)ev;
	http_fetch_free(g->fetch);
	g->fetch = NULL;
	print_time(g, mono_now_us() - g->start_us);
	stop(g);
}

static int run(const struct genhash_opts *o)
{
	struct genhash g = { .o = o };
	struct http_fetch_req req = {
		.addr = (const struct sockaddr *)&o->addr,
		.addr_len = o->addr_len,
		.fwmark = o->fwmark,
		.sni = o->tls && o->sni ? o->vhost : NULL,
		.read_max = GENHASH_READ_MAX,
		.head_max = GENHASH_READ_MAX,
		.wait_close = true,
		.cb = { .on_read = on_read, .on_head = on_head, .on_body = on_body,
			.on_done = on_done, .arg = &g },
	};
	char addr[INET6_ADDRSTRLEN], *host = NULL, *request;
	const void *a;
	SSL_CTX *ctx = NULL;
	int r;

	if (o->has_timeout)	/* -t 0: no wait at all, as keepalived does; 0 means none here */
		req.timeout_us = o->timeout_s ? (uint64_t)o->timeout_s * 1000000u : 1;
	a = o->addr.ss_family == AF_INET ? (const void *)&((const struct sockaddr_in *)&o->addr)->sin_addr :
	    (const void *)&((const struct sockaddr_in6 *)&o->addr)->sin6_addr;
	inet_ntop(o->addr.ss_family, a, addr, sizeof(addr));
	if (!o->vhost)
		host = xasprintf(o->addr.ss_family == AF_INET6 ? "[%s]:%u" : "%s:%u", addr, o->port);
	request = http_fetch_request(o->url, o->vhost ? o->vhost : host, o->proto, &req.request_len);
	req.request = request;

	if (o->tls && (r = http_fetch_tls_ctx_new(&ctx)) < 0) {
		fprintf(stderr, "cannot set up TLS: %s\n", strerror(-r));
		goto out;
	}
	req.tls = ctx;
	if ((r = sched_new(&g.s)) < 0 ||
	    (r = sched_signal(g.s, &g.ev_int, SIGINT, on_signal, &g)) < 0 ||
	    (r = sched_signal(g.s, &g.ev_term, SIGTERM, on_signal, &g)) < 0) {
		fprintf(stderr, "cannot set up the event loop: %s\n", strerror(-r));
		goto out;
	}
	g.start_us = mono_now_us();
	if ((r = http_fetch_start(g.s, &req, &g.fetch)) < 0) {
		fprintf(stderr, "cannot start the request: %s\n", strerror(-r));
		goto out;
	}
	r = sched_run(g.s);
	if (r < 0)
		fprintf(stderr, "event loop failed: %s\n", strerror(-r));
out:
	http_fetch_free(g.fetch);
	sched_cancel(&g.ev_int);
	sched_cancel(&g.ev_term);
	sched_free(g.s);
	SSL_CTX_free(ctx);
	free(request);
	free(host);
	fflush(stdout);
	return r < 0 ? 1 : 0;
}

/*
 * keepalived's address syntax: anything from a '-' on (a range), or else from a
 * '/' on (a prefix length), is ignored; the rest must be a numeric address.
 */
static bool parse_server(const char *s, struct genhash_opts *o)
{
	size_t n = strcspn(s, strchr(s, '-') ? "-" : "/");
	char *ip = xstrndup(s, n);
	struct sockaddr_in *sin = (struct sockaddr_in *)&o->addr;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&o->addr;
	bool ok = true;

	memset(&o->addr, 0, sizeof(o->addr));
	if (inet_pton(AF_INET, ip, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		o->addr_len = sizeof(*sin);
	} else if (inet_pton(AF_INET6, ip, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		o->addr_len = sizeof(*sin6);
	} else {
		ok = false;
	}
	free(ip);
	return ok;
}

/* Decimal, optional leading blanks and '+', no '-' anywhere; too big saturates, as strtoul. */
static bool parse_ulong(const char *s, unsigned long *out)
{
	char *end;

	if (strchr(s, '-'))
		return false;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return end != s && *end == '\0';
}

static const struct option long_opts[] = {
	{ "use-ssl",		no_argument,		NULL, 'S' },
	{ "use-sni",		no_argument,		NULL, 'I' },
	{ "server",		required_argument,	NULL, 's' },
	{ "port",		required_argument,	NULL, 'p' },
	{ "url",		required_argument,	NULL, 'u' },
	{ "use-virtualhost",	required_argument,	NULL, 'V' },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "fwmark",		required_argument,	NULL, 'm' },
	{ "protocol",		required_argument,	NULL, 'P' },
	{ "timeout",		required_argument,	NULL, 't' },
	{ NULL, 0, NULL, 0 }
};

static const char *long_name(int val)
{
	for (const struct option *lo = long_opts; lo->name; lo++)
		if (lo->val == val)
			return lo->name;
	return "?";
}

/* An option's value is wrong: say so, show the usage, and stop (keepalived's way). */
static int bad_value(const char *prog, const char *what, const char *arg)
{
	fprintf(stderr, "%s '%s'\n", what, arg);
	usage(prog);
	return 1;
}

/*
 * argc_seen: the argc keepalived's genhash would test (the whole command line,
 * also in -T mode); it shows the usage alone below 3 words.
 */
static int genhash_run(const char *prog, int argc_seen, int argc, char **argv)
{
	struct genhash_opts o = { .proto = HTTP_FETCH_1_0 };
	bool bad = false;
	unsigned long v;
	int c;

	if (argc_seen < 3) {
		usage(prog);
		return 1;
	}
	opterr = 0;
	optind = 0;	/* a fresh scan, also if keepalived's main parsed before */
	for (;;) {
		int cur = optind ? optind : 1;

		c = getopt_long(argc, argv, ":SIs:p:u:V:vhm:P:t:", long_opts, NULL);
		if (c == -1)
			break;
		switch (c) {
		case 'S': o.tls = true; break;
		case 'I': o.sni = true; break;
		case 'v': o.verbose = true; break;
		case 'h': bad = true; break;
		case 'u': o.url = optarg; break;
		case 'V': o.vhost = optarg; break;
		case 's':
			if (!parse_server(optarg, &o))
			{
				fprintf(stderr, "server should be an IP, not %s\n", optarg);
				usage(prog);
				return 1;
			}
			o.server = optarg;
			break;
		case 'p':
			if (!parse_ulong(optarg, &v) || v == 0 || v > 65535)
				return bad_value(prog, "invalid port number", optarg);
			o.port = (unsigned)v;
			break;
		case 'm':
			if (!parse_ulong(optarg, &v))
				return bad_value(prog, "invalid fwmark", optarg);
			o.fwmark = (uint32_t)v;		/* keepalived keeps the low 32 bits */
			break;
		case 't':
			if (!parse_ulong(optarg, &v))
				return bad_value(prog, "invalid timeout", optarg);
			o.timeout_s = (uint32_t)v;	/* idem */
			o.has_timeout = true;
			break;
		case 'P':
			if (!strcasecmp(optarg, "1.0"))
				o.proto = HTTP_FETCH_1_0;
			else if (!strcasecmp(optarg, "1.0c"))
				o.proto = HTTP_FETCH_1_0C;
			else if (!strcasecmp(optarg, "1.1"))
				o.proto = HTTP_FETCH_1_1;
			else
				return bad_value(prog, "invalid HTTP protocol version", optarg);
			break;
		case ':':
			/* keepalived 2.2.7 crashes on a long option here; we name it */
			if (argv[cur][1] == '-')
				fprintf(stderr, "Missing parameter for option --%s\n", long_name(optopt));
			else
				fprintf(stderr, "Missing parameter for option -%c\n", optopt);
			bad = true;
			break;
		default:
			/*
			 * keepalived names the word getopt started from (after a skipped
			 * operand, that operand) unless it is a known short option.
			 */
			if (optopt && argv[cur][1] != '-')
				fprintf(stderr, "Unknown option -%c\n", optopt);
			else
				fprintf(stderr, "Unknown option %s\n", argv[cur]);
			bad = true;
			break;
		}
	}
	if (bad) {
		usage(prog);
		return 1;
	}
	if (optind < argc) {
		fprintf(stderr, "Unexpected argument(s): ");
		for (int i = optind; i < argc; i++)
			fprintf(stderr, "%s%s", argv[i], i + 1 < argc ? " " : "\n");
		usage(prog);
		return 1;
	}
	if (!o.server || !o.port || !o.url) {
		usage(prog);
		return 1;
	}
	if (o.addr.ss_family == AF_INET)
		((struct sockaddr_in *)&o.addr)->sin_port = htons((uint16_t)o.port);
	else
		((struct sockaddr_in6 *)&o.addr)->sin6_port = htons((uint16_t)o.port);

	log_open(&(struct log_opts){ .ident = "genhash", .to_console = true, .max_prio = LOG_ERR });
	/* OpenSSL writes with write(): a peer's reset must not kill us. HUP and USR*: ignored too */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, SIG_IGN);
	return run(&o);
}

int genhash_main(int argc, char **argv)
{
	return genhash_run(argc > 0 ? argv[0] : "genhash", argc, argc, argv);
}

int genhash_keepalived_main(int argc, char **argv)
{
	char *prog = xasprintf("%s --genhash", argv[0]);
	char **av = xcalloc((size_t)argc + 1, sizeof(*av));
	char *first = NULL;
	int n = 0, r;

	av[n++] = prog;
	if (argc > 1 && argv[1][0] == '-' && argv[1][1] == 'T' && argv[1][2]) {
		/* "-Tvs": the options after T, as genhash's own first word */
		first = xasprintf("-%s", argv[1] + 2);
		av[n++] = first;
	}
	for (int i = 2; i < argc; i++)
		av[n++] = argv[i];
	r = genhash_run(prog, argc, n, av);
	free(first);
	free(av);
	free(prog);
	return r;
}
