// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_conf_script.c: vrrp_script, and the options after a tracked name. */
#include <errno.h>
#include <string.h>

#include "vrrp_conf_int.h"
#include "userdb.h"
#include "utils.h"

/*
 * vrrp_script's user USER [[:]GROUP]: keepalived refuses a user or group that does not
 * exist. Kept even then, so that the script is removed when it loads (keepalived's
 * "Unable to set uid/gid for script") instead of running as script_user.
 */
static int kw_user(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_script *vs = obj;

	return userdb_cfg_words(c, a, 1, &vs->user, &vs->group);
}

/*
 * The options after a tracked object's name: [weight N [reverse|noreverse]]
 * (track_interface knows only reverse). Returns 0 or -EINVAL after reporting.
 */
int vc_parse_track_opts(struct cfg *c, const struct cfg_args *a, const char *kw,
			bool noreverse, struct vc_track_opts *o)
{
	static const char *const rev[] = { "reverse", "noreverse", NULL };
	static const char *const rev1[] = { "reverse", NULL };
	int i = 0;

	*o = (struct vc_track_opts){ 0 };
	if (a->argc == 1)
		return 0;
	if (a->argc > 4) {
		cfg_error_arg(c, 4, "'%s' expects NAME [weight N [reverse%s]], got an extra '%s'",
			      kw, noreverse ? "|noreverse" : "", a->argv[4]);
		return -EINVAL;
	}
	if (strcmp(a->argv[1], "weight") || a->argc < 3) {
		cfg_error_arg(c, 1, "'%s' expects NAME [weight N [reverse%s]], got '%s'", kw,
			      noreverse ? "|noreverse" : "", a->argv[1]);
		return -EINVAL;
	}
	if (cfg_int(c, a, 2, -253, 253, &o->weight) < 0 ||
	    (a->argc > 3 && cfg_enum(c, a, 3, noreverse ? rev : rev1, &i) < 0))
		return -EINVAL;
	o->has_weight = true;
	o->has_reverse = a->argc > 3;
	o->reverse = o->has_reverse && i == 0;
	return 0;
}

static int kw_script(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_script *vs = obj;

	vc_set_at(c, a, 1, &vs->script_at);
	return cfg_str(c, a, 1, &vs->script);
}

/* keepalived 2.2.7 takes whole seconds up to 4294; later versions fractions too */
static int kw_interval(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_timer_us(c, a, 1, 1000, 4294000000ULL, &((struct vc_script *)obj)->interval_us);
}

/* weight -253..253 [reverse] */
static int kw_weight(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const opts[] = { "reverse", NULL };
	struct vc_script *vs = obj;
	int i;

	if (cfg_int(c, a, 1, -253, 253, &vs->weight) < 0 ||
	    (a->argc > 2 && cfg_enum(c, a, 2, opts, &i) < 0))
		return -EINVAL;
	vs->weight_reverse = a->argc > 2;
	return 0;
}

#define VS(o) ((struct vc_script *)(o))
SET_SECS(kw_script_timeout, VS, timeout_us, 1000, 4294000000ULL)
SET_UINT(kw_rise, VS, rise, 1, 1000000)
SET_UINT(kw_fall, VS, fall, 1, 1000000)
SET_FLAG(kw_init_fail, VS, init_fail, true)
#undef VS

const struct cfg_kw vc_script_kws[] = {
	CFG_KW("script", kw_script, CFG_ARG1),
	CFG_KW("interval", kw_interval, CFG_ARG1),
	CFG_KW("timeout", kw_script_timeout, CFG_ARG1),
	CFG_KW("weight", kw_weight, CFG_ARGS(1, 2)),
	CFG_KW("rise", kw_rise, CFG_ARG1),
	CFG_KW("fall", kw_fall, CFG_ARG1),
	CFG_KW("user", kw_user, CFG_ARGS(1, 2)),
	CFG_KW("init_fail", kw_init_fail, CFG_FLAGARGS),
	{ 0 }
};

void *vc_open_script(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct vrrp_conf *vc = parent;
	struct vc_script *vs = xcalloc(1, sizeof(*vs));

	/* keepalived silently keeps the first one */
	vs->is_dup = vc_check_dup(c, a, vc, &vc_tag_script, false);
	vc_set_ref(c, a, 1, &vs->id);
	vc_name_put(vc, &vc_tag_script, &vs->id);
	vs->interval_us = 1000000;
	vs->rise = vs->fall = 1;
	vs->index = vc->n_scripts;
	vc->scripts = xrealloc(vc->scripts, (vc->n_scripts + 1) * sizeof(*vc->scripts));
	vc->scripts[vc->n_scripts++] = vs;
	return vs;
}

int vc_close_script(struct cfg *c, void *obj)
{
	struct vc_script *vs = obj;

	if (!vs->script) {
		vc_report(c, CFG_SEV_ERROR, &vs->id, "vrrp_script '%s' has no script",
			  vs->id.name);
		return -EINVAL;
	}
	return 0;
}
