// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/metrics_proc.c: the process_* metrics of the calling process, from /proc/self. */
#include "metrics_proc.h"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "metrics_expo.h"

bool metrics_proc_parse_stat(const char *line, struct metrics_proc_stat *out)
{
	const char *p = strrchr(line, ')');
	uint64_t v[22];
	unsigned n = 0;

	if (!p)
		return false;
	p++;
	/* field 3 (state) is a letter; numeric fields 4 .. 24 follow */
	while (*p == ' ')
		p++;
	if (!*p || *p == '\n')
		return false;
	p++;
	while (n < 21) {
		char *end;

		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			return false;
		/* some fields are signed (nice, priority): their bits are fine here */
		v[n] = strtoull(p, &end, 10);
		if (end == p)
			v[n] = (uint64_t)strtoll(p, &end, 10);
		if (end == p)
			return false;
		p = end;
		n++;
	}
	/* v[0] is field 4: field k is v[k - 4] */
	out->utime_ticks = v[14 - 4];
	out->stime_ticks = v[15 - 4];
	out->start_ticks = v[22 - 4];
	out->vsize_bytes = v[23 - 4];
	out->rss_pages = v[24 - 4];
	return true;
}

/* Reads a small /proc file whole into buf (NUL-terminated); false on failure. */
static bool read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return true;
}

/* The wall-clock time of the boot, in s: start times in /proc count from it. */
static bool boot_time_s(double *out)
{
	struct timespec rt, bt;

	if (clock_gettime(CLOCK_REALTIME, &rt) || clock_gettime(CLOCK_BOOTTIME, &bt))
		return false;
	*out = (double)(rt.tv_sec - bt.tv_sec) + (double)(rt.tv_nsec - bt.tv_nsec) / 1e9;
	return true;
}

static long count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	long n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the directory's own fd */
}

void metrics_proc_render(struct expo *w, const char *who)
{
	const struct expo_label l[] = { { "process", who } };
	struct metrics_proc_stat st;
	char buf[1024];
	long tck = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE), nfd;
	struct rlimit rl;
	double btime;

	if (read_small("/proc/self/stat", buf, sizeof(buf)) && metrics_proc_parse_stat(buf, &st) &&
	    tck > 0 && page > 0) {
		expo_family(w, "process_cpu_seconds_total", EXPO_COUNTER,
			    "Total user and system CPU time spent in seconds.");
		expo_sample_f(w, "process_cpu_seconds_total", l, 1,
			      (double)(st.utime_ticks + st.stime_ticks) / (double)tck);
		expo_family(w, "process_resident_memory_bytes", EXPO_GAUGE,
			    "Resident memory size in bytes.");
		expo_sample_u64(w, "process_resident_memory_bytes", l, 1,
				st.rss_pages * (uint64_t)page);
		expo_family(w, "process_virtual_memory_bytes", EXPO_GAUGE,
			    "Virtual memory size in bytes.");
		expo_sample_u64(w, "process_virtual_memory_bytes", l, 1, st.vsize_bytes);
		if (boot_time_s(&btime)) {
			expo_family(w, "process_start_time_seconds", EXPO_GAUGE,
				    "Start time of the process since unix epoch in seconds.");
			expo_sample_f(w, "process_start_time_seconds", l, 1,
				      btime + (double)st.start_ticks / (double)tck);
		}
	}
	if ((nfd = count_fds()) >= 0) {
		expo_family(w, "process_open_fds", EXPO_GAUGE, "Number of open file descriptors.");
		expo_sample_u64(w, "process_open_fds", l, 1, (uint64_t)nfd);
	}
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		expo_family(w, "process_max_fds", EXPO_GAUGE,
			    "Maximum number of open file descriptors.");
		expo_sample_f(w, "process_max_fds", l, 1, rl.rlim_cur == RLIM_INFINITY ?
			      INFINITY : (double)rl.rlim_cur);
	}
}
