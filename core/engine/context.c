/* SPDX-License-Identifier: Apache-2.0 */
/* context.c - validates what the core owns in a profile (names, phase,
 * regions, CIDRs) and answers the plugins' read-only questions. */
#include "run.h"
#include "waivers.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const phase_names[] = {"legacy", "migration", "production"};

/* Commercial regions as of AWS provider 5.x. */
static const char *const known_regions[] = {
    "af-south-1",     "ap-east-1",      "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1",     "ap-south-2",     "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ca-central-1",   "ca-west-1",
    "eu-central-1",   "eu-central-2",   "eu-north-1",     "eu-south-1",     "eu-south-2",
    "eu-west-1",      "eu-west-2",      "eu-west-3",      "il-central-1",   "me-central-1",
    "me-south-1",     "mx-central-1",   "sa-east-1",      "us-east-1",      "us-east-2",
    "us-west-1",      "us-west-2",
};

static void fill_configs(pg_ctx *ctx, const pg_plugin_set *plugins);

/* One primary and up to five secondaries: the Aurora global database limit. */
#define MAX_REGIONS 6

static void fail(pg_errors *err, pg_origin at, const char *fmt, ...) PG_FMT(3, 4);
static void fail(pg_errors *err, pg_origin at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = pg_xvasprintf(fmt, ap);
    va_end(ap);
    if (at.line)
        pg_errors_add(err, "%s:%d:%d: %s", at.file, at.line, at.col, msg);
    else
        pg_errors_add(err, "%s: %s", at.file, msg);
    free(msg);
}

static bool all_chars(const char *s, const char *allowed_extra)
{
    for (; *s; s++)
        if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
            !strchr(allowed_extra, *s))
            return false;
    return true;
}

/* "us-east-2" -> "use2", "ap-southeast-1" -> "apse1", "eu-central-1" -> "euc1". */
const char *pg_region_code(const char *name, char *buf, size_t size)
{
    static const struct { const char *word, *code; } words[] = {
        {"northeast", "ne"}, {"southeast", "se"}, {"northwest", "nw"}, {"southwest", "sw"},
        {"north", "n"},      {"south", "s"},      {"east", "e"},       {"west", "w"},
        {"central", "c"},
    };
    char area[3] = {0}, word[16] = {0}, num[4] = {0};
    if (sscanf(name, "%2[a-z]-%15[a-z]-%3[0-9]", area, word, num) != 3) {
        snprintf(buf, size, "%s", name);
        return buf;
    }
    const char *w = word;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (!strcmp(word, words[i].word))
            w = words[i].code;
    snprintf(buf, size, "%s%s%s", area, w, num);
    return buf;
}

static int parse_cidr(const char *text, unsigned *addr, unsigned *prefix)
{
    unsigned a, b, c, d, n;
    char tail;
    if (sscanf(text, "%3u.%3u.%3u.%3u/%2u%c", &a, &b, &c, &d, &n, &tail) != 5)
        return -1;
    if (a > 255 || b > 255 || c > 255 || d > 255 || n > 32)
        return -1;
    char canon[32];
    snprintf(canon, sizeof canon, "%u.%u.%u.%u/%u", a, b, c, d, n);
    if (strcmp(canon, text))
        return -1; /* leading zeros, spaces, ... */
    *addr = (a << 24) | (b << 16) | (c << 8) | d;
    *prefix = n;
    return 0;
}

static bool in_block(unsigned addr, unsigned prefix, unsigned base, unsigned base_prefix)
{
    unsigned mask = base_prefix ? ~0u << (32 - base_prefix) : 0;
    return prefix >= base_prefix && (addr & mask) == base;
}

static bool valid_cutover(const char *s)
{
    int y, mo, d, h, mi, se;
    char z, tail;
    if (strlen(s) != 20 || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%c", &y, &mo, &d, &h, &mi, &se, &z,
                                  &tail) != 7)
        return false;
    return z == 'Z' && y >= 2000 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 &&
           mi <= 59 && se <= 59 && s[4] == '-' && s[7] == '-' && s[13] == ':' && s[16] == ':';
}

/* The core's own keys, checked as written (raw): a value that passes holds
 * no '$' or '%', so its escaped form in ctx is the same text. */
static void check_names(pg_ctx *ctx, pg_errors *err)
{
    char q[PG_SHOWN_SIZE];
    const pg_resolved *r = pg_settings_get(&ctx->settings, "project");
    const char *v = r->raw;
    size_t n = strlen(v);
    if (n < 2 || n > 12 || !all_chars(v, "") || isdigit((unsigned char)v[0]))
        fail(err, r->at,
             "project %s must be 2-12 lowercase letters or digits, starting with a letter",
             pg_shown(q, v));
    r = pg_settings_get(&ctx->settings, "environment");
    v = r->raw;
    n = strlen(v);
    if (n < 2 || n > 12 || !all_chars(v, "") || !islower((unsigned char)v[0]))
        fail(err, r->at,
             "environment %s must be 2-12 lowercase letters or digits, starting with a letter",
             pg_shown(q, v));
    r = pg_settings_get(&ctx->settings, "suffix");
    v = r->raw;
    n = strlen(v);
    if (n < 3 || n > 8 || !all_chars(v, ""))
        fail(err, r->at, "suffix %s must be 3-8 lowercase letters or digits", pg_shown(q, v));
    r = pg_settings_get(&ctx->settings, "cutover");
    if (!valid_cutover(r->raw))
        fail(err, r->at, "cutover %s must be a UTC time like 2026-12-01T06:00:00Z",
             pg_shown(q, r->raw));
    r = pg_settings_get(&ctx->settings, "owner");
    v = r->raw;
    if (!*v || strlen(v) > 64 || !all_chars(v, "-_ "))
        fail(err, r->at, "owner %s must be 1-64 lowercase letters, digits, '-', '_' or spaces",
             pg_shown(q, v));
    /* The waivers paygen check applies, in the form it reads: a known rule,
     * an owner, an expiry date and a reason. Critical rules need consent
     * only where they are applied (check --allow-critical-waivers). */
    r = pg_settings_get(&ctx->settings, "check.waivers");
    pg_waiver_policy policy = {.allow_critical = true};
    pg_waivers_today(policy.today);
    pg_waivers waivers = {0};
    for (size_t i = 0; i < r->item_count; i++)
        pg_waivers_add_text(&waivers, r->raw_items[i], r->at.file, r->at.line, r->at.col, i + 1,
                            &policy, err);
    pg_waivers_free(&waivers);
    r = pg_settings_get(&ctx->settings, "phase");
    v = r->raw;
    bool found = false;
    for (size_t i = 0; i < 3; i++)
        if (!strcmp(v, phase_names[i])) {
            ctx->phase = (pg_phase)i;
            found = true;
        }
    if (!found) {
        const char *hint = NULL;
        for (size_t i = 0; i < 3; i++)
            if (pg_edit_distance(v, phase_names[i]) <= 3)
                hint = phase_names[i];
        fail(err, r->at, "unknown phase %s%s%s%s", pg_shown(q, v),
             hint ? " (did you mean '" : " (legacy, migration or production)", hint ? hint : "",
             hint ? "'?)" : "");
    }
}

static bool known_region(const char *name)
{
    for (size_t i = 0; i < sizeof known_regions / sizeof *known_regions; i++)
        if (!strcmp(name, known_regions[i]))
            return true;
    return false;
}

/* A region name in a message: a known one as it is, anything else quoted
 * and escaped (pg_shown). */
static const char *region_shown(char q[PG_SHOWN_SIZE], const char *name)
{
    return known_region(name) ? name : pg_shown(q, name);
}

static void build_region(pg_ctx *ctx, pg_region *out, const pg_region_spec *rs, size_t index,
                         pg_errors *err)
{
    char code[32], q[PG_SHOWN_SIZE], qn[PG_SHOWN_SIZE];
    if (!known_region(rs->name))
        fail(err, rs->name_at, "unknown AWS region %s", pg_shown(q, rs->name));
    out->name = pg_arena_dup(&ctx->arena, rs->name);
    out->code = pg_arena_dup(&ctx->arena, pg_region_code(rs->name, code, sizeof code));
    out->cidr = pg_arena_dup(&ctx->arena, rs->cidr);
    out->primary = index == 0;
    out->provider = index == 0 ? "aws" : pg_arena_keep(&ctx->arena, pg_xasprintf("aws.%s", code));
    const char **azs = pg_xcalloc(rs->az_count + 1, sizeof *azs);
    pg_arena_keep(&ctx->arena, (char *)azs);
    for (size_t i = 0; i < rs->az_count; i++) {
        azs[i] = pg_arena_dup(&ctx->arena, rs->azs[i]);
        size_t nl = strlen(rs->name);
        const char *az = rs->azs[i];
        if (strncmp(az, rs->name, nl) || strlen(az) != nl + 1 || !islower((unsigned char)az[nl]))
            fail(err, rs->azs_at, "availability zone %s is not a zone of %s", pg_shown(q, az),
                 region_shown(qn, rs->name));
        for (size_t j = 0; j < i; j++)
            if (!strcmp(rs->azs[j], az))
                fail(err, rs->azs_at, "availability zone %s is listed twice", pg_shown(q, az));
    }
    out->azs = azs;
    out->az_count = rs->az_count;
    if (rs->az_count != 3)
        fail(err, rs->az_count ? rs->azs_at : rs->at,
             "region %s needs exactly 3 availability zones, got %zu", region_shown(qn, rs->name),
             rs->az_count);
}

static void check_regions(pg_ctx *ctx, const pg_profile *p, pg_errors *err)
{
    pg_origin top = {p->path, 0, 0};
    if (!p->has_regions || p->region_count == 0) {
        fail(err, p->has_regions ? p->regions_at : top, "%s",
             "the profile needs 'regions' with at least one region (the first is primary)");
        return;
    }
    if (p->region_count > MAX_REGIONS) {
        fail(err, p->regions_at,
             "at most %d regions: an Aurora global database has one primary and up to five "
             "secondaries",
             MAX_REGIONS);
        return;
    }
    ctx->regions = pg_xcalloc(p->region_count, sizeof *ctx->regions);
    ctx->region_count = p->region_count;
    unsigned addr[MAX_REGIONS], prefix[MAX_REGIONS];
    bool cidr_ok[MAX_REGIONS] = {false};
    for (size_t i = 0; i < p->region_count; i++) {
        const pg_region_spec *rs = &p->regions[i];
        char q[PG_SHOWN_SIZE], qj[PG_SHOWN_SIZE], qc[PG_SHOWN_SIZE];
        if (!rs->name || !rs->cidr || !rs->azs) {
            fail(err, rs->at, "a region needs name, cidr and azs%s", "");
            ctx->region_count = i;
            return;
        }
        build_region(ctx, &ctx->regions[i], rs, i, err);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(ctx->regions[j].name, rs->name))
                fail(err, rs->name_at, "region %s is listed twice", region_shown(q, rs->name));
            else if (!strcmp(ctx->regions[j].code, ctx->regions[i].code))
                fail(err, rs->name_at, "regions %s and %s share the short code %s",
                     region_shown(qj, ctx->regions[j].name), region_shown(q, rs->name),
                     pg_shown(qc, ctx->regions[i].code));
        if (parse_cidr(rs->cidr, &addr[i], &prefix[i])) {
            fail(err, rs->cidr_at, "%s is not a CIDR block like 10.10.0.0/16",
                 pg_shown(q, rs->cidr));
            continue;
        }
        /* from here on the CIDR is canonical (parse_cidr): digits, dots and a slash */
        unsigned mask = prefix[i] ? ~0u << (32 - prefix[i]) : 0;
        if (addr[i] & ~mask) {
            fail(err, rs->cidr_at, "CIDR %s has host bits set", rs->cidr);
            continue;
        }
        if (prefix[i] < 16 || prefix[i] > 24) {
            fail(err, rs->cidr_at, "CIDR %s: a VPC needs a prefix between /16 and /24", rs->cidr);
            continue;
        }
        if (!in_block(addr[i], prefix[i], 10u << 24, 8) &&
            !in_block(addr[i], prefix[i], (172u << 24) | (16u << 16), 12) &&
            !in_block(addr[i], prefix[i], (192u << 24) | (168u << 16), 16)) {
            fail(err, rs->cidr_at, "CIDR %s is not a private (RFC 1918) range", rs->cidr);
            continue;
        }
        cidr_ok[i] = true;
        for (size_t j = 0; j < i; j++) {
            if (!cidr_ok[j])
                continue;
            unsigned shorter = prefix[i] < prefix[j] ? prefix[i] : prefix[j];
            unsigned m = ~0u << (32 - shorter);
            if ((addr[i] & m) == (addr[j] & m))
                fail(err, rs->cidr_at, "CIDR %s of %s overlaps %s of %s", rs->cidr,
                     region_shown(q, rs->name), p->regions[j].cidr,
                     region_shown(qj, p->regions[j].name));
        }
    }
}

int pg_ctx_init(pg_ctx *ctx, const pg_profile *p, const pg_plugin_set *plugins, pg_errors *err)
{
    size_t before = err->count;
    *ctx = (pg_ctx){0};
    pg_declared *decls = pg_xcalloc(plugins->order_count + 1, sizeof *decls);
    size_t n = 0;
    decls[n++] = (pg_declared){pg_core_settings, "core"};
    for (size_t i = 0; i < plugins->order_count; i++)
        if (plugins->order[i]->vt->settings)
            decls[n++] = (pg_declared){plugins->order[i]->vt->settings, plugins->order[i]->vt->name};
    int rc = pg_settings_resolve(&ctx->settings, p, decls, n, err);
    free(decls);
    if (rc == 0) {
        ctx->project = pg_ctx_string(ctx, "project");
        ctx->environment = pg_ctx_string(ctx, "environment");
        ctx->suffix = pg_ctx_string(ctx, "suffix");
        ctx->phase_name = pg_ctx_string(ctx, "phase");
        ctx->cutover = pg_ctx_string(ctx, "cutover");
        ctx->owner = pg_ctx_string(ctx, "owner");
        ctx->protect = pg_ctx_bool(ctx, "protection");
        check_names(ctx, err);
        fill_configs(ctx, plugins);
    }
    ctx->plugins = plugins;
    check_regions(ctx, p, err);
    ctx->active_count = ctx->phase == PG_PHASE_LEGACY && ctx->region_count ? 1 : ctx->region_count;
    return err->count > before ? -1 : 0;
}

void pg_ctx_free(pg_ctx *ctx)
{
    for (size_t i = 0; i < ctx->ref_count; i++) {
        free(ctx->refs[i].key);
        cJSON_Delete(ctx->refs[i].value);
    }
    free(ctx->refs);
    pg_hashtab_free(&ctx->ref_index);
    free(ctx->regions);
    for (size_t i = 0; ctx->configs && ctx->plugins && i < ctx->plugins->order_count; i++)
        free(ctx->configs[i]);
    free(ctx->configs);
    pg_settings_free(&ctx->settings);
    pg_arena_free(&ctx->arena);
    *ctx = (pg_ctx){0};
}

/* ---------------------------------------------------------------- accessors */

pg_phase pg_ctx_phase(const pg_ctx *ctx) { return ctx->phase; }
const char *pg_ctx_phase_name(const pg_ctx *ctx) { return ctx->phase_name; }
const char *pg_ctx_project(const pg_ctx *ctx) { return ctx->project; }
const char *pg_ctx_environment(const pg_ctx *ctx) { return ctx->environment; }
const char *pg_ctx_suffix(const pg_ctx *ctx) { return ctx->suffix; }
bool pg_ctx_protected(const pg_ctx *ctx) { return ctx->protect; }
size_t pg_ctx_region_count(const pg_ctx *ctx) { return ctx->active_count; }
size_t pg_ctx_all_region_count(const pg_ctx *ctx) { return ctx->region_count; }

const pg_region *pg_ctx_region(const pg_ctx *ctx, size_t i)
{
    return i < ctx->active_count ? &ctx->regions[i] : NULL;
}

const pg_region *pg_ctx_all_region(const pg_ctx *ctx, size_t i)
{
    return i < ctx->region_count ? &ctx->regions[i] : NULL;
}

const pg_region *pg_ctx_primary(const pg_ctx *ctx) { return ctx->region_count ? ctx->regions : NULL; }

/* A key the running plugin may read: the core's or its own. */
static const pg_resolved *typed(const pg_ctx *ctx, const char *key, pg_setting_type type)
{
    const pg_resolved *r = pg_settings_get(&ctx->settings, key);
    const char *problem = NULL;
    if (!r)
        problem = "not declared";
    else if (ctx->current && strcmp(r->owner, "core") && strcmp(r->owner, ctx->current->name))
        problem = "owned by another plugin";
    else if (r->decl->type != type && !(type == PG_TYPE_STRING && r->decl->type == PG_TYPE_CHOICE))
        problem = "of another type";
    if (!problem)
        return r;
    if (ctx->misuse)
        pg_errors_add(ctx->misuse, "%s reads setting '%s', which is %s",
                      ctx->current ? ctx->current->name : "core", key, problem);
    return NULL;
}

const char *pg_ctx_string(const pg_ctx *ctx, const char *key)
{
    const pg_resolved *r = typed(ctx, key, PG_TYPE_STRING);
    return r ? r->text : NULL;
}

long pg_ctx_int(const pg_ctx *ctx, const char *key)
{
    const pg_resolved *r = typed(ctx, key, PG_TYPE_INT);
    return r ? r->number : 0;
}

bool pg_ctx_bool(const pg_ctx *ctx, const char *key)
{
    const pg_resolved *r = typed(ctx, key, PG_TYPE_BOOL);
    return r ? r->flag : false;
}

size_t pg_ctx_list_count(const pg_ctx *ctx, const char *key)
{
    const pg_resolved *r = typed(ctx, key, PG_TYPE_LIST);
    return r ? r->item_count : 0;
}

const char *pg_ctx_list_item(const pg_ctx *ctx, const char *key, size_t i)
{
    const pg_resolved *r = typed(ctx, key, PG_TYPE_LIST);
    return r && i < r->item_count ? r->items[i] : NULL;
}

const void *pg_config(const pg_ctx *ctx) { return ctx->current_config; }

/* Each plugin's config struct, filled from its settings table. */
static void fill_configs(pg_ctx *ctx, const pg_plugin_set *plugins)
{
    ctx->configs = pg_xcalloc(plugins->order_count + 1, sizeof *ctx->configs);
    for (size_t i = 0; i < plugins->order_count; i++) {
        const pg_plugin *vt = plugins->order[i]->vt;
        if (!vt->config_size)
            continue;
        char *config = ctx->configs[i] = pg_xcalloc(1, vt->config_size);
        for (const pg_setting *s = vt->settings; s && s->key; s++) {
            const pg_resolved *r = pg_settings_get(&ctx->settings, s->key);
            void *field = config + s->offset;
            switch (s->type) {
            case PG_TYPE_INT: memcpy(field, &r->number, sizeof r->number); break;
            case PG_TYPE_BOOL: memcpy(field, &r->flag, sizeof r->flag); break;
            case PG_TYPE_LIST: {
                pg_list list = {r->items, r->item_count};
                memcpy(field, &list, sizeof list);
                break;
            }
            default: memcpy(field, &r->text, sizeof r->text); break;
            }
        }
    }
}
