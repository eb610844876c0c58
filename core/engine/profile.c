/* SPDX-License-Identifier: Apache-2.0 */
/* profile.c - reads YAML profiles with libyaml's event parser.
 *
 * The event parser (not the document loader) is used so that anchors and
 * aliases can be refused where they appear: a profile is a small, flat file,
 * and aliases only ever serve to hide or to multiply content (alias bombs). */
#include "profile.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#define MAX_DEPTH 8          /* nesting of mappings inside one profile     */
#define MAX_EXTENDS 8        /* length of an extends: chain               */
#define MAX_FILE_SIZE (1u << 20)
#define MAX_KEY 256

typedef struct reader {
    yaml_parser_t parser;
    yaml_event_t event;
    bool have_event;
    const char *file;
    const unsigned char *data; /* the file's bytes, to place a reader error */
    size_t size;
    pg_profile *layer;
    char *extends;
    pg_origin extends_at;
    pg_errors *err;
} reader;

static pg_origin origin_of(reader *r, const yaml_mark_t *m)
{
    return (pg_origin){r->file, (int)m->line + 1, (int)m->column + 1};
}

static int fail_at(reader *r, const yaml_mark_t *m, const char *fmt, ...) PG_FMT(3, 4);
static int fail_at(reader *r, const yaml_mark_t *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = pg_xvasprintf(fmt, ap);
    va_end(ap);
    pg_errors_add(r->err, "%s:%d:%d: %s", r->file, (int)m->line + 1, (int)m->column + 1, msg);
    free(msg);
    return -1;
}

/* libyaml places decoding errors (invalid UTF-8, control characters) by
 * byte offset only: find the line and column. */
static int reader_error(reader *r, const char *problem)
{
    size_t offset = r->parser.problem_offset < r->size ? r->parser.problem_offset : r->size;
    yaml_mark_t m = {0};
    for (size_t i = 0; i < offset; i++) {
        if (r->data[i] == '\n')
            m.line++, m.column = 0;
        else if ((r->data[i] & 0xc0) != 0x80) /* a character, not a continuation byte */
            m.column++;
    }
    int value = r->parser.problem_value;
    if (value >= 0)
        return fail_at(r, &m,
                       "%s (byte 0x%02x): a profile is UTF-8 text without control characters",
                       problem, (unsigned)value & 0xffu);
    return fail_at(r, &m, "%s: a profile is UTF-8 text without control characters", problem);
}

static int next(reader *r)
{
    if (r->have_event)
        yaml_event_delete(&r->event);
    r->have_event = false;
    if (!yaml_parser_parse(&r->parser, &r->event)) {
        const char *problem = r->parser.problem ? r->parser.problem : "malformed YAML";
        if (r->parser.error == YAML_READER_ERROR)
            return reader_error(r, problem);
        return fail_at(r, &r->parser.problem_mark, "%s", problem);
    }
    r->have_event = true;
    yaml_event_t *e = &r->event;
    /* A "\0" escape would cut the value where C strings end. (Invalid UTF-8
     * never gets this far: libyaml's reader refuses it, and its escapes refuse
     * surrogates and code points past U+10FFFF.) */
    if (e->type == YAML_SCALAR_EVENT &&
        strlen((const char *)e->data.scalar.value) != e->data.scalar.length)
        return fail_at(r, &e->start_mark, "%s",
                       "a NUL character (\\0) is not allowed in a profile");
    const yaml_char_t *anchor = NULL;
    if (e->type == YAML_SCALAR_EVENT)
        anchor = e->data.scalar.anchor;
    else if (e->type == YAML_SEQUENCE_START_EVENT)
        anchor = e->data.sequence_start.anchor;
    else if (e->type == YAML_MAPPING_START_EVENT)
        anchor = e->data.mapping_start.anchor;
    if (e->type == YAML_ALIAS_EVENT)
        return fail_at(r, &e->start_mark, "%s", "aliases are not allowed in a profile");
    if (anchor)
        return fail_at(r, &e->start_mark, "%s", "anchors are not allowed in a profile");
    return 0;
}

static const char *scalar_text(reader *r) { return (const char *)r->event.data.scalar.value; }

static bool scalar_is_null(reader *r)
{
    const char *s = scalar_text(r);
    bool plain = r->event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    return plain && (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
                     !strcmp(s, "NULL"));
}

static pg_value *put_value(pg_profile *p, const char *key)
{
    for (size_t i = 0; i < p->count; i++) {
        if (!strcmp(p->values[i].key, key)) {
            pg_value *v = &p->values[i];
            free(v->text);
            for (size_t j = 0; j < v->item_count; j++)
                free(v->items[j]);
            free(v->items);
            char *k = v->key;
            *v = (pg_value){.key = k};
            return v;
        }
    }
    pg_grow(&p->values, &p->cap, p->count + 1, sizeof *p->values);
    pg_value *v = &p->values[p->count++];
    *v = (pg_value){.key = pg_xstrdup(key)};
    return v;
}

static int read_scalar_list(reader *r, char ***items, size_t *count)
{
    size_t cap = 0;
    for (;;) {
        if (next(r))
            return -1;
        if (r->event.type == YAML_SEQUENCE_END_EVENT)
            return 0;
        if (r->event.type != YAML_SCALAR_EVENT || scalar_is_null(r))
            return fail_at(r, &r->event.start_mark, "%s", "list items must be non-empty scalars");
        pg_grow(items, &cap, *count + 1, sizeof **items);
        (*items)[(*count)++] = pg_xstrdup(scalar_text(r));
    }
}

static int read_region(reader *r, pg_region_spec *rs)
{
    for (;;) {
        if (next(r))
            return -1;
        if (r->event.type == YAML_MAPPING_END_EVENT)
            break;
        if (r->event.type != YAML_SCALAR_EVENT)
            return fail_at(r, &r->event.start_mark, "%s", "region keys must be plain scalars");
        char key[MAX_KEY], shown[PG_SHOWN_SIZE];
        snprintf(key, sizeof key, "%s", scalar_text(r));
        yaml_mark_t key_mark = r->event.start_mark;
        if (next(r))
            return -1;
        pg_origin at = origin_of(r, &r->event.start_mark);
        bool scalar = r->event.type == YAML_SCALAR_EVENT && !scalar_is_null(r);
        if (!strcmp(key, "name") || !strcmp(key, "cidr")) {
            char **slot = key[0] == 'n' ? &rs->name : &rs->cidr;
            if (!scalar)
                return fail_at(r, &r->event.start_mark, "region %s must be a string", key);
            if (*slot)
                return fail_at(r, &key_mark, "duplicate key %s", pg_shown(shown, key));
            *slot = pg_xstrdup(scalar_text(r));
            if (key[0] == 'n')
                rs->name_at = at;
            else
                rs->cidr_at = at;
        } else if (!strcmp(key, "azs")) {
            if (r->event.type != YAML_SEQUENCE_START_EVENT)
                return fail_at(r, &r->event.start_mark, "%s", "region azs must be a list");
            if (rs->azs)
                return fail_at(r, &key_mark, "duplicate key %s", pg_shown(shown, key));
            rs->azs_at = at;
            if (read_scalar_list(r, &rs->azs, &rs->az_count))
                return -1;
        } else {
            const char *known[] = {"name", "cidr", "azs"};
            const char *best = NULL;
            for (size_t i = 0; i < 3; i++)
                if (pg_edit_distance(key, known[i]) <= 2)
                    best = known[i];
            if (best)
                return fail_at(r, &key_mark, "unknown region key %s (did you mean '%s'?)",
                               pg_shown(shown, key), best);
            return fail_at(r, &key_mark, "unknown region key %s (known: name, cidr, azs)",
                           pg_shown(shown, key));
        }
    }
    return 0;
}

static int read_regions(reader *r)
{
    pg_profile *p = r->layer;
    p->has_regions = true;
    p->regions_at = origin_of(r, &r->event.start_mark);
    for (;;) {
        if (next(r))
            return -1;
        if (r->event.type == YAML_SEQUENCE_END_EVENT)
            return 0;
        if (r->event.type != YAML_MAPPING_START_EVENT)
            return fail_at(r, &r->event.start_mark, "%s",
                           "each region must be a mapping with name, cidr and azs");
        pg_grow(&p->regions, &p->region_cap, p->region_count + 1, sizeof *p->regions);
        pg_region_spec *rs = &p->regions[p->region_count++];
        *rs = (pg_region_spec){.at = origin_of(r, &r->event.start_mark)};
        if (read_region(r, rs))
            return -1;
    }
}

static int read_mapping(reader *r, const char *prefix, int depth)
{
    if (depth > MAX_DEPTH)
        return fail_at(r, &r->event.start_mark, "%s", "mappings nested too deeply");
    for (;;) {
        if (next(r))
            return -1;
        if (r->event.type == YAML_MAPPING_END_EVENT)
            return 0;
        if (r->event.type != YAML_SCALAR_EVENT || scalar_is_null(r) ||
            r->event.data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
            return fail_at(r, &r->event.start_mark, "%s", "keys must be plain scalars");
        const char *name = scalar_text(r);
        char shown[PG_SHOWN_SIZE];
        if (strchr(name, '.') || strlen(name) + strlen(prefix) + 2 > MAX_KEY)
            return fail_at(r, &r->event.start_mark, "bad key %s (no dots, at most %d characters)",
                           pg_shown(shown, name), MAX_KEY - 2);
        char key[2 * MAX_KEY + 2]; /* the check above keeps it under MAX_KEY */
        snprintf(key, sizeof key, "%s%s%s", prefix, *prefix ? "." : "", name);
        yaml_mark_t key_mark = r->event.start_mark;
        if (pg_profile_find(r->layer, key) || (!strcmp(key, "extends") && r->extends) ||
            (!strcmp(key, "regions") && r->layer->has_regions))
            return fail_at(r, &key_mark, "duplicate key %s", pg_shown(shown, key));
        if (next(r))
            return -1;
        yaml_event_t *e = &r->event;
        if (!strcmp(key, "extends")) {
            if (e->type != YAML_SCALAR_EVENT || scalar_is_null(r))
                return fail_at(r, &e->start_mark, "%s", "extends must be a file name");
            r->extends = pg_xstrdup(scalar_text(r));
            r->extends_at = origin_of(r, &e->start_mark);
        } else if (!strcmp(key, "regions")) {
            if (e->type != YAML_SEQUENCE_START_EVENT)
                return fail_at(r, &e->start_mark, "%s", "regions must be a list");
            if (read_regions(r))
                return -1;
        } else if (e->type == YAML_SCALAR_EVENT) {
            if (scalar_is_null(r))
                return fail_at(r, &e->start_mark, "key %s has no value", pg_shown(shown, key));
            pg_value *v = put_value(r->layer, key);
            v->text = pg_xstrdup(scalar_text(r));
            v->quoted = e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
            v->at = origin_of(r, &key_mark); /* errors point at the key */
        } else if (e->type == YAML_SEQUENCE_START_EVENT) {
            pg_origin at = origin_of(r, &key_mark);
            char **items = NULL;
            size_t n = 0;
            int rc = read_scalar_list(r, &items, &n);
            pg_value *v = put_value(r->layer, key);
            v->items = items;
            v->item_count = n;
            v->at = at;
            if (rc)
                return -1;
        } else if (e->type == YAML_MAPPING_START_EVENT) {
            if (read_mapping(r, key, depth + 1))
                return -1;
        } else {
            return fail_at(r, &e->start_mark, "unexpected content for key %s",
                           pg_shown(shown, key));
        }
    }
}

static int read_stream(reader *r)
{
    if (next(r) || r->event.type != YAML_STREAM_START_EVENT)
        return -1;
    if (next(r))
        return -1;
    if (r->event.type != YAML_DOCUMENT_START_EVENT)
        return fail_at(r, &r->event.start_mark, "%s", "the profile is empty");
    if (next(r))
        return -1;
    if (r->event.type != YAML_MAPPING_START_EVENT)
        return fail_at(r, &r->event.start_mark, "%s", "a profile must be a mapping of keys");
    if (read_mapping(r, "", 0))
        return -1;
    if (next(r))
        return -1;
    if (next(r))
        return -1;
    if (r->event.type != YAML_STREAM_END_EVENT)
        return fail_at(r, &r->event.start_mark, "%s", "a profile holds exactly one YAML document");
    return 0;
}

static void free_region(pg_region_spec *rs)
{
    free(rs->name);
    free(rs->cidr);
    for (size_t j = 0; j < rs->az_count; j++)
        free(rs->azs[j]);
    free(rs->azs);
}

static void free_regions(pg_profile *p)
{
    for (size_t i = 0; i < p->region_count; i++)
        free_region(&p->regions[i]);
    free(p->regions);
    p->regions = NULL;
    p->region_count = p->region_cap = 0;
}

/* Moves everything the layer sets over p: later files win, key by key; a
 * regions list replaces the whole list. */
static void overlay(pg_profile *p, pg_profile *layer)
{
    for (size_t i = 0; i < layer->count; i++) {
        pg_value *src = &layer->values[i];
        pg_value *dst = put_value(p, src->key);
        char *key = dst->key;
        *dst = *src;
        dst->key = key;
        free(src->key);
    }
    free(layer->values);
    layer->values = NULL;
    layer->count = layer->cap = 0;
    if (layer->has_regions) {
        free_regions(p);
        p->regions = layer->regions;
        p->region_count = layer->region_count;
        p->region_cap = layer->region_cap;
        p->has_regions = true;
        p->regions_at = layer->regions_at;
        layer->regions = NULL;
        layer->region_count = layer->region_cap = 0;
    }
}

static int load_file(pg_profile *p, const char *path, const char *open_path, int depth,
                     pg_errors *err);

static bool inside(const char *path, const char *root)
{
    size_t n = strlen(root);
    return n == 1 || (!strncmp(path, root, n) && (path[n] == '/' || !path[n]));
}

/* The file extends: names, as messages show it (*path) and as it is opened
 * (*open_path, symbolic links resolved); -1 after saying why it may not be
 * read. A profile from a merge request must not read YAML elsewhere on the
 * build agent. */
static int extends_target(pg_profile *p, reader *r, char **path, char **open_path)
{
    const char *name = r->extends;
    pg_origin at = r->extends_at;
    char shown[PG_SHOWN_SIZE];
    for (const char *c = name; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            pg_errors_add(r->err, "%s:%d:%d: extends %s: a file name has no control characters",
                          at.file, at.line, at.col, pg_shown(shown, name));
            return -1;
        }
    if (name[0] == '/' && !p->allow_outside) {
        pg_errors_add(r->err,
                      "%s:%d:%d: extends %s is an absolute path: name the file relative to this "
                      "profile (--allow-extends-outside reads it anyway)",
                      at.file, at.line, at.col, pg_shown(shown, name));
        return -1;
    }
    char *copy = pg_xstrdup(r->file);
    *path = name[0] == '/' ? pg_xstrdup(name) : pg_xasprintf("%s/%s", dirname(copy), name);
    free(copy);
    *open_path = realpath(*path, NULL);
    if (!*open_path) /* load_file says why it cannot be read */
        *open_path = pg_xstrdup(*path);
    else if (!p->allow_outside && (!p->root || !inside(*open_path, p->root))) {
        char shown_root[PG_SHOWN_SIZE];
        pg_errors_add(r->err,
                      "%s:%d:%d: extends %s leaves %s, the root of these profiles "
                      "(--allow-extends-outside reads it anyway)",
                      at.file, at.line, at.col, pg_shown(shown, name),
                      pg_shown(shown_root, p->root ? p->root : "?"));
        free(*path);
        free(*open_path);
        *path = *open_path = NULL;
        return -1;
    }
    return 0;
}

static int load_layer(pg_profile *p, const char *file, const unsigned char *data, size_t size,
                      int depth, pg_errors *err)
{
    pg_profile layer = {0};
    reader r = {.file = file, .data = data, .size = size, .layer = &layer, .err = err};
    if (!yaml_parser_initialize(&r.parser)) {
        pg_errors_add(err, "%s: cannot start the YAML parser", file);
        return -1;
    }
    yaml_parser_set_input_string(&r.parser, data, size);
    int rc = read_stream(&r);
    if (r.have_event)
        yaml_event_delete(&r.event);
    yaml_parser_delete(&r.parser);

    if (rc == 0 && r.extends) {
        if (depth >= MAX_EXTENDS) {
            pg_errors_add(err, "%s:%d:%d: extends chain longer than %d files (a cycle?)", file,
                          r.extends_at.line, r.extends_at.col, MAX_EXTENDS);
            rc = -1;
        } else {
            char *base = NULL, *open_base = NULL;
            rc = extends_target(p, &r, &base, &open_base);
            size_t before = err->count;
            if (rc == 0)
                rc = load_file(p, base, open_base, depth + 1, err);
            if (rc && base && err->count > before)
                pg_errors_add(err, "%s:%d:%d: in the profile extended here", file,
                              r.extends_at.line, r.extends_at.col);
            if (base) {
                free(base);
                free(open_base);
            }
        }
    }
    if (rc == 0)
        overlay(p, &layer);
    pg_profile_free(&layer);
    free(r.extends);
    return rc;
}

static int load_file(pg_profile *p, const char *path, const char *open_path, int depth,
                     pg_errors *err)
{
    const char *file = pg_arena_dup(&p->names, path);
    struct stat st;
    if (stat(open_path, &st) != 0) {
        pg_errors_add(err, "%s: %s", file, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        pg_errors_add(err, "%s: is a directory, not a profile", file);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || st.st_size > MAX_FILE_SIZE) {
        pg_errors_add(err, "%s: not a regular file of at most 1 MiB", file);
        return -1;
    }
    FILE *f = fopen(open_path, "rb");
    if (!f) {
        pg_errors_add(err, "%s: %s", file, strerror(errno));
        return -1;
    }
    unsigned char *data = pg_xmalloc((size_t)st.st_size + 1);
    size_t n = fread(data, 1, (size_t)st.st_size, f);
    int read_failed = ferror(f);
    fclose(f);
    int rc = -1;
    if (read_failed)
        pg_errors_add(err, "%s: read error", file);
    else
        rc = load_layer(p, file, data, n, depth, err);
    free(data);
    return rc;
}

/* The root extends: may not leave: the nearest directory above the profile
 * with a .git entry (a work tree; a directory or a worktree's file) or a
 * .paygen-root file (a tree of profiles outside git, such as the installed
 * /usr/share/paygen/profiles), else the profile's own directory. NULL when
 * the directory cannot be resolved. */
static char *find_root(const char *profile)
{
    char *copy = pg_xstrdup(profile);
    char *dir = realpath(dirname(copy), NULL);
    free(copy);
    if (!dir)
        return NULL;
    for (size_t len = strlen(dir);;) {
        char *git = pg_xasprintf("%.*s/.git", (int)len, dir);
        char *marker = pg_xasprintf("%.*s/.paygen-root", (int)len, dir);
        struct stat st;
        bool found = lstat(git, &st) == 0 || lstat(marker, &st) == 0;
        free(git);
        free(marker);
        if (found) {
            dir[len ? len : 1] = '\0'; /* "/" for the top */
            return dir;
        }
        if (len == 0)
            return dir;
        while (len > 0 && dir[len - 1] != '/')
            len--;
        if (len > 0)
            len--; /* the '/' before the last name; 0 is the top */
    }
}

int pg_profile_load(pg_profile *p, const char *path, pg_errors *err)
{
    p->path = pg_arena_dup(&p->names, path);
    if (!p->allow_outside)
        p->root = find_root(path);
    return load_file(p, path, path, 0, err);
}

int pg_profile_load_buffer(pg_profile *p, const char *name, const unsigned char *data, size_t size,
                           pg_errors *err)
{
    p->path = pg_arena_dup(&p->names, name);
    return load_layer(p, p->path, data, size, MAX_EXTENDS, err);
}

int pg_profile_set(pg_profile *p, const char *assignment, pg_errors *err)
{
    const char *eq = strchr(assignment, '=');
    char shown[PG_SHOWN_SIZE];
    size_t bad;
    if (!eq || eq == assignment || (size_t)(eq - assignment) >= MAX_KEY) {
        pg_errors_add(err, "--set %s: expected KEY=VALUE", pg_shown(shown, assignment));
        return -1;
    }
    char key[MAX_KEY];
    snprintf(key, sizeof key, "%.*s", (int)(eq - assignment), assignment);
    const char *text = eq + 1;
    if (!pg_utf8_valid(assignment, strlen(assignment), &bad)) {
        pg_errors_add(err, "--set %s: not valid UTF-8 (byte %zu)", pg_shown(shown, assignment),
                      bad + 1);
        return -1;
    }
    if (!strcmp(key, "regions") || !strcmp(key, "extends")) {
        pg_errors_add(err, "--set %s: '%s' can only be set in a profile file",
                      pg_shown(shown, assignment), key);
        return -1;
    }
    pg_value *v = put_value(p, key);
    v->at = (pg_origin){pg_arena_dup(&p->names, "--set"), 0, 0};
    size_t len = strlen(text);
    if (len >= 2 && text[0] == '[' && text[len - 1] == ']') {
        size_t cap = 0;
        char *copy = pg_xasprintf("%.*s", (int)(len - 2), text + 1);
        for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok;
             tok = strtok_r(NULL, ",", &save)) {
            while (*tok == ' ')
                tok++;
            size_t tl = strlen(tok);
            while (tl && tok[tl - 1] == ' ')
                tok[--tl] = '\0';
            if (!tl)
                continue;
            pg_grow(&v->items, &cap, v->item_count + 1, sizeof *v->items);
            v->items[v->item_count++] = pg_xstrdup(tok);
        }
        free(copy);
    } else {
        v->text = pg_xstrdup(text);
    }
    return 0;
}

const pg_value *pg_profile_find(const pg_profile *p, const char *key)
{
    for (size_t i = 0; i < p->count; i++)
        if (!strcmp(p->values[i].key, key))
            return &p->values[i];
    return NULL;
}

void pg_profile_free(pg_profile *p)
{
    for (size_t i = 0; i < p->count; i++) {
        pg_value *v = &p->values[i];
        free(v->key);
        free(v->text);
        for (size_t j = 0; j < v->item_count; j++)
            free(v->items[j]);
        free(v->items);
    }
    free(p->values);
    free_regions(p);
    pg_arena_free(&p->names);
    free(p->root);
    *p = (pg_profile){0};
}
