// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/bench/tcp_floor.c: the least any TCP_CHECK implementation must do, for
 * bench_check.py's "floor" column.
 *
 *     tcp_floor N DELAY_S PORT
 *
 * Connects to the N addresses bench_check.py gives its real servers (10.2.x.y, see
 * rs_addr() there) once every DELAY_S seconds each, spread evenly over the interval,
 * with the fewest system calls a non-blocking connect check can make: socket(),
 * connect(), one epoll_ctl(ADD), a shared epoll_wait(), close() (closing drops the
 * epoll registration: no DEL, as nothing else holds the socket). No logging, no state,
 * no timeout handling beyond dropping a connect still pending at the next round.
 * Its CPU time per check is the kernel's share of a check (the handshake, which the
 * kernel runs in the caller's context when the server is local), which no
 * implementation can go below: bench_check.py prints it beside ours and keepalived's.
 * Runs until killed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	struct epoll_event evs[256];
	struct sockaddr_in *dst;
	uint64_t period_us, start, next_i_at;
	int n, port, ep, *fds;
	long i = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: tcp_floor N DELAY_S PORT\n");
		return 2;
	}
	n = atoi(argv[1]);
	period_us = (uint64_t)(atof(argv[2]) * 1000000);
	port = atoi(argv[3]);
	if (n <= 0 || !period_us || port <= 0)
		return 2;
	dst = calloc((size_t)n, sizeof(*dst));
	fds = malloc((size_t)n * sizeof(*fds));
	if (!dst || !fds)
		return 1;
	for (int k = 0; k < n; k++) {
		char a[32];

		snprintf(a, sizeof(a), "10.2.%d.%d", k / 250, k % 250 + 1);
		dst[k].sin_family = AF_INET;
		dst[k].sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, a, &dst[k].sin_addr);
		fds[k] = -1;
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return 1;
	start = now_us();
	for (;;) {
		uint64_t t = now_us();
		int k, w, r;

		/* start every check due by now: check i is due at start + i * period / n */
		while ((next_i_at = start + (uint64_t)i * period_us / (uint64_t)n) <= t) {
			k = (int)(i % n);
			if (fds[k] >= 0)
				close(fds[k]);	/* still pending a whole period later */
			fds[k] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
			if (fds[k] >= 0) {
				struct epoll_event ee = { .events = EPOLLOUT, .data.u32 = (uint32_t)k };

				r = connect(fds[k], (struct sockaddr *)&dst[k], sizeof(dst[k]));
				if ((r < 0 && errno != EINPROGRESS) ||
				    epoll_ctl(ep, EPOLL_CTL_ADD, fds[k], &ee) < 0) {
					close(fds[k]);
					fds[k] = -1;
				}
			}
			i++;
		}
		/* wake at the next 10 ms slot, as the checkers' probes coalesce */
		w = (int)((next_i_at - t + 9999) / 10000 * 10);
		r = epoll_wait(ep, evs, 256, w);
		for (int j = 0; j < r; j++) {
			k = (int)evs[j].data.u32;
			close(fds[k]);
			fds[k] = -1;
		}
	}
}
