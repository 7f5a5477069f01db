/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/metrics_proc.h: the process_* metrics of the calling process, from /proc/self. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* What /proc/self/stat gives (fields 14, 15, 22, 23, 24 of proc(5)). */
struct metrics_proc_stat {
	uint64_t utime_ticks, stime_ticks;
	uint64_t start_ticks;		/* after boot */
	uint64_t vsize_bytes;
	uint64_t rss_pages;
};
/*
 * Pure: parses one /proc/PID/stat line (the command may hold spaces and parentheses: the
 * fields start after its last ')'). False when the line is short or malformed.
 */
bool metrics_proc_parse_stat(const char *line, struct metrics_proc_stat *out);

/*
 * Writes the process_* families that Prometheus' client libraries export (CPU seconds,
 * resident and virtual memory, open and maximum fds, start time), labelled
 * process="<who>" ("parent", "vrrp", "checker"), one sample each: expo_join() merges the
 * processes' families. Reads /proc (a few syscalls; /proc/self/fd is listed to count the
 * fds). A figure that cannot be read is left out.
 */
struct expo;
void metrics_proc_render(struct expo *w, const char *who);
