/* SPDX-License-Identifier: Apache-2.0 */
/* waivers.c - reads the waivers paygen check applies: a reviewed YAML file
 * (libyaml's event parser, as profile.c reads profiles: anchors and aliases
 * refused, every error at FILE:LINE:COL) or the profile's one-line form.
 * Both end in add_waiver(), which holds every rule a waiver must meet. */
#include "waivers.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

#include "check.h"

#define MAX_FILE_SIZE (1u << 20)
#define MAX_OWNER 64
#define MAX_REASON 1000

enum { F_RULE, F_OWNER, F_EXPIRES, F_REASON, F_COUNT };
static const char *const field_names[F_COUNT] = {"rule", "owner", "expires", "reason"};

typedef struct field {
    const char *text; /* NULL: not given */
    int line, col;
} field;

void pg_waivers_today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

void pg_waivers_free(pg_waivers *w)
{
    free(w->items);
    pg_arena_free(&w->strings);
    *w = (pg_waivers){0};
}

static void fail(pg_errors *err, const char *file, int line, int col, const char *fmt, ...) PG_FMT(5, 6);
static void fail(pg_errors *err, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = pg_xvasprintf(fmt, ap);
    va_end(ap);
    if (line) /* 0: a value from --set, which has no position */
        pg_errors_add(err, "%s:%d:%d: %s", file, line, col, msg);
    else
        pg_errors_add(err, "%s: %s", file, msg);
    free(msg);
}

/* text as a message shows it: quoted, bytes outside printable ASCII as
 * \xNN, cut after about 60 characters: a value cannot forge log lines. */
static const char *shown(char buf[256], const char *text)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)text;
    buf[n++] = '\'';
    for (; *p && n < 64; p++) {
        if (*p < 0x20 || *p >= 0x7f || *p == '\'' || *p == '\\')
            n += (size_t)snprintf(buf + n, 256 - n, "\\x%02x", *p);
        else
            buf[n++] = (char)*p;
    }
    snprintf(buf + n, 256 - n, "'%s", *p ? "..." : "");
    return buf;
}

/* No control characters (C0, DEL, C1) and no bidirectional overrides
 * (U+202A-U+202E, U+2066-U+2069), which reorder what a terminal shows. */
static bool printable(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
            return false;
        if (p[0] == 0xe2 && ((p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) ||
                             (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)))
            return false;
    }
    return true;
}

static bool valid_date(const char *s)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] + (m == 2 && leap);
}

static const pg_rule *find_rule(const char *id, const pg_rule **closest)
{
    size_t n, best = 4; /* suggest within an edit distance of 3 */
    const pg_rule *rules = pg_check_rules(&n);
    *closest = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(rules[i].id, id))
            return &rules[i];
        size_t d = pg_edit_distance(rules[i].id, id);
        if (d < best)
            best = d, *closest = &rules[i];
    }
    return NULL;
}

/* Checks one waiver (what: "" or "check.waivers item N: ") and adds it when
 * it passes; every problem goes to err. */
static int add_waiver(pg_waivers *w, const char *file, int line, int col, const char *what,
                      const field f[F_COUNT], const pg_waiver_policy *pol, pg_errors *err)
{
    size_t before = err->count;
    char q[256];
    for (int i = 0; i < F_COUNT; i++) {
        const char *t = f[i].text;
        if (!t)
            fail(err, file, line, col, "%swaiver without %s (each needs rule, owner, expires and reason)", what,
                 field_names[i]);
        else if (strspn(t, " ") == strlen(t))
            fail(err, file, f[i].line, f[i].col, "%s%s is empty", what, field_names[i]);
        else if (!printable(t))
            fail(err, file, f[i].line, f[i].col, "%s%s holds a control character or a bidirectional override",
                 what, field_names[i]);
    }
    if (err->count > before)
        return -1;
    const pg_rule *closest, *rule = find_rule(f[F_RULE].text, &closest);
    if (!rule)
        fail(err, file, f[F_RULE].line, f[F_RULE].col, "%sunknown rule %s%s%s%s", what, shown(q, f[F_RULE].text),
             closest ? " (did you mean " : "", closest ? closest->id : "", closest ? "?)" : "");
    else if (rule->severity == PG_SEV_CRITICAL && !pol->allow_critical)
        fail(err, file, f[F_RULE].line, f[F_RULE].col,
             "%s%s is a critical rule (%s): waiving it needs --allow-critical-waivers", what, rule->id, rule->title);
    for (size_t i = 0; rule && i < w->count; i++)
        if (w->items[i].rule == rule)
            fail(err, file, f[F_RULE].line, f[F_RULE].col, "%s%s is waived twice (first at %s:%d:%d)", what,
                 rule->id, w->items[i].file, w->items[i].line, w->items[i].col);
    if (strlen(f[F_OWNER].text) > MAX_OWNER)
        fail(err, file, f[F_OWNER].line, f[F_OWNER].col, "%sowner is longer than %d bytes", what, MAX_OWNER);
    if (strlen(f[F_REASON].text) > MAX_REASON)
        fail(err, file, f[F_REASON].line, f[F_REASON].col, "%sreason is longer than %d bytes", what,
             MAX_REASON);
    if (!valid_date(f[F_EXPIRES].text))
        fail(err, file, f[F_EXPIRES].line, f[F_EXPIRES].col, "%sexpires %s is not a date YYYY-MM-DD", what,
             shown(q, f[F_EXPIRES].text));
    if (err->count > before)
        return -1;
    pg_grow(&w->items, &w->cap, w->count + 1, sizeof *w->items);
    pg_waiver *x = &w->items[w->count++];
    *x = (pg_waiver){.rule = rule,
                     .owner = pg_arena_dup(&w->strings, f[F_OWNER].text),
                     .reason = pg_arena_dup(&w->strings, f[F_REASON].text),
                     .file = pg_arena_dup(&w->strings, file),
                     .line = line,
                     .col = col};
    snprintf(x->expires, sizeof x->expires, "%s", f[F_EXPIRES].text);
    /* expires is the first day it no longer applies: a reviewed date, not a grace period */
    x->expired = strcmp(pol->today, x->expires) >= 0;
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        s[--n] = '\0';
    return s;
}

int pg_waivers_add_text(pg_waivers *w, const char *text, const char *file, int line, int col, size_t item,
                        const pg_waiver_policy *pol, pg_errors *err)
{
    char what[64], q[256];
    snprintf(what, sizeof what, "check.waivers item %zu: ", item);
    char *copy = pg_xstrdup(text);
    char *colon = strchr(copy, ':');
    char *bar1 = colon ? strchr(colon, '|') : NULL;
    char *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
    int rc = -1;
    if (!bar2) {
        fail(err, file, line, col, "%swaiver %s must read 'RULE-ID: owner | YYYY-MM-DD | reason'", what,
             shown(q, text));
    } else {
        *colon = *bar1 = *bar2 = '\0';
        field f[F_COUNT] = {{trim(copy), line, col}, {trim(colon + 1), line, col}, {trim(bar1 + 1), line, col},
                            {trim(bar2 + 1), line, col}}; /* the reason may hold '|' */
        rc = add_waiver(w, file, line, col, what, f, pol, err);
    }
    free(copy);
    return rc;
}

/* ----- the YAML file */

typedef struct reader {
    yaml_parser_t parser;
    yaml_event_t event;
    bool have_event;
    const char *file;
    const unsigned char *data;
    size_t size;
    pg_errors *err;
} reader;

static int fail_at(reader *r, const yaml_mark_t *m, const char *msg)
{
    fail(r->err, r->file, (int)m->line + 1, (int)m->column + 1, "%s", msg);
    return -1;
}

static int next(reader *r)
{
    if (r->have_event)
        yaml_event_delete(&r->event);
    r->have_event = false;
    if (!yaml_parser_parse(&r->parser, &r->event)) {
        yaml_mark_t m = r->parser.problem_mark;
        if (r->parser.error == YAML_READER_ERROR) { /* placed by byte offset only */
            m = (yaml_mark_t){0};
            for (size_t i = 0; i < r->parser.problem_offset && i < r->size; i++) {
                if (r->data[i] == '\n')
                    m.line++, m.column = 0;
                else if ((r->data[i] & 0xc0) != 0x80)
                    m.column++;
            }
        }
        return fail_at(r, &m, r->parser.problem ? r->parser.problem : "malformed YAML");
    }
    r->have_event = true;
    yaml_event_t *e = &r->event;
    if (e->type == YAML_ALIAS_EVENT || (e->type == YAML_SCALAR_EVENT && e->data.scalar.anchor) ||
        (e->type == YAML_SEQUENCE_START_EVENT && e->data.sequence_start.anchor) ||
        (e->type == YAML_MAPPING_START_EVENT && e->data.mapping_start.anchor))
        return fail_at(r, &e->start_mark, "anchors and aliases are not allowed in a waivers file");
    if (e->type == YAML_SCALAR_EVENT && strlen((const char *)e->data.scalar.value) != e->data.scalar.length)
        return fail_at(r, &e->start_mark, "a NUL character (\\0) is not allowed in a waivers file");
    return 0;
}

static bool is_scalar(const reader *r) { return r->event.type == YAML_SCALAR_EVENT; }
static const char *scalar(const reader *r) { return (const char *)r->event.data.scalar.value; }

/* "owner:", "owner: ~", "owner: null": no value, not the text "~" */
static bool is_null(const reader *r)
{
    const char *s = scalar(r);
    return r->event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL"));
}

/* Skips the node whose first event is the current one. */
static int skip_node(reader *r)
{
    for (int depth = 0;;) {
        yaml_event_type_t t = r->event.type;
        depth += t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT;
        depth -= t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT;
        if (depth == 0)
            return 0;
        if (next(r))
            return -1;
    }
}

/* One "- rule: ..." mapping; its problems go to err, the reading goes on. */
static int read_waiver(reader *r, pg_waivers *w, const pg_waiver_policy *pol)
{
    yaml_mark_t at = r->event.start_mark;
    field f[F_COUNT] = {{0}};
    char *owned[F_COUNT] = {0};
    int rc = 0;
    char q[256];
    while (rc == 0 && !(rc = next(r)) && r->event.type != YAML_MAPPING_END_EVENT) {
        yaml_mark_t key_at = r->event.start_mark;
        int k = 0;
        while (k < F_COUNT && !(is_scalar(r) && !strcmp(scalar(r), field_names[k])))
            k++;
        if (k == F_COUNT)
            fail(r->err, r->file, (int)key_at.line + 1, (int)key_at.column + 1,
                 "unknown key %s in a waiver (rule, owner, expires, reason)", is_scalar(r) ? shown(q, scalar(r)) : "");
        else if (owned[k])
            fail(r->err, r->file, (int)key_at.line + 1, (int)key_at.column + 1, "duplicate key %s", field_names[k]);
        if ((rc = skip_node(r)) || (rc = next(r)))
            break;
        if (k == F_COUNT || owned[k]) {
            rc = skip_node(r);
        } else if (!is_scalar(r)) {
            rc = fail_at(r, &r->event.start_mark, "a waiver's fields are text, not lists or mappings");
        } else {
            owned[k] = pg_xstrdup(is_null(r) ? "" : scalar(r));
            f[k] = (field){owned[k], (int)r->event.start_mark.line + 1, (int)r->event.start_mark.column + 1};
        }
    }
    if (rc == 0)
        add_waiver(w, r->file, (int)at.line + 1, (int)at.column + 1, "", f, pol, r->err);
    for (int k = 0; k < F_COUNT; k++)
        free(owned[k]);
    return rc;
}

static int read_stream(reader *r, pg_waivers *w, const pg_waiver_policy *pol)
{
    if (next(r) || next(r))
        return -1;
    if (r->event.type != YAML_DOCUMENT_START_EVENT)
        return fail_at(r, &r->event.start_mark, "the waivers file is empty (write 'waivers: []' for none)");
    if (next(r))
        return -1;
    if (r->event.type != YAML_MAPPING_START_EVENT)
        return fail_at(r, &r->event.start_mark, "a waivers file is a mapping with one key, 'waivers:'");
    bool seen = false;
    for (;;) {
        if (next(r))
            return -1;
        if (r->event.type == YAML_MAPPING_END_EVENT)
            break;
        if (!is_scalar(r) || strcmp(scalar(r), "waivers") || seen)
            return fail_at(r, &r->event.start_mark,
                           seen && is_scalar(r) && !strcmp(scalar(r), "waivers")
                               ? "duplicate key waivers"
                               : "unknown key (a waivers file holds one key, 'waivers:')");
        seen = true;
        if (next(r))
            return -1;
        if (r->event.type != YAML_SEQUENCE_START_EVENT)
            return fail_at(r, &r->event.start_mark, "waivers must be a list (write [] for none)");
        for (;;) {
            if (next(r))
                return -1;
            if (r->event.type == YAML_SEQUENCE_END_EVENT)
                break;
            if (r->event.type != YAML_MAPPING_START_EVENT)
                return fail_at(r, &r->event.start_mark, "a waiver is a mapping: rule, owner, expires, reason");
            if (read_waiver(r, w, pol))
                return -1;
        }
    }
    if (!seen)
        return fail_at(r, &r->event.start_mark, "no 'waivers:' list");
    if (next(r) || next(r))
        return -1;
    if (r->event.type != YAML_STREAM_END_EVENT)
        return fail_at(r, &r->event.start_mark, "a waivers file holds exactly one YAML document");
    return 0;
}

/* The file's bytes: a regular file of at most MAX_FILE_SIZE. O_NONBLOCK so
 * that a FIFO fails the check instead of hanging the open. */
static unsigned char *read_file(const char *path, size_t *size, pg_errors *err)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        pg_errors_add(err, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    unsigned char *data = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_FILE_SIZE) {
        pg_errors_add(err, "%s: not a regular file of at most 1 MiB", path);
    } else {
        data = pg_xmalloc(MAX_FILE_SIZE + 1);
        ssize_t n = 0;
        *size = 0;
        while (*size <= MAX_FILE_SIZE && (n = read(fd, data + *size, MAX_FILE_SIZE + 1 - *size)) > 0)
            *size += (size_t)n;
        if (n < 0 || *size > MAX_FILE_SIZE) {
            pg_errors_add(err, "%s: %s", path, n < 0 ? strerror(errno) : "grew past 1 MiB while read");
            free(data);
            data = NULL;
        }
    }
    close(fd);
    return data;
}

int pg_waivers_load(pg_waivers *w, const char *path, const pg_waiver_policy *pol, pg_errors *err)
{
    size_t size = 0, before = err->count;
    unsigned char *data = read_file(path, &size, err);
    if (!data)
        return -1;
    reader r = {.file = path, .data = data, .size = size, .err = err};
    if (!yaml_parser_initialize(&r.parser)) {
        pg_errors_add(err, "%s: cannot start the YAML parser", path);
        free(data);
        return -1;
    }
    yaml_parser_set_input_string(&r.parser, data, size);
    int rc = read_stream(&r, w, pol);
    if (r.have_event)
        yaml_event_delete(&r.event);
    yaml_parser_delete(&r.parser);
    free(data);
    return rc || err->count > before ? -1 : 0;
}
