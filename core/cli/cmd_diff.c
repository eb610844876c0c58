/* cmd_diff.c - paygen diff FROM TO: what a phase step (or its rollback) does
 * to every resource, and whether it destroys data. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "diff.h"
#include "generate.h"

static const char *const diff_usage =
    "usage: paygen diff [--set KEY=VALUE]... [--plugin-path DIR]... FROM TO\n"
    "  FROM and TO are profiles (generated in memory) or output directories.\n"
    "  Lists added (+), changed (~), replaced (!) and removed (-) resources per stack,\n"
    "  flags stateful and protected resources a step would destroy, and says what to do first.\n"
    "  Exit status: 0 safe, 1 unsafe (data or protected resources destroyed), 2 error.\n";

typedef struct side {
    pg_generation g;
    cJSON *loaded[PG_STACK_COUNT]; /* from an output directory */
    bool generated;
} side;

static cJSON *read_json(const char *path, pg_errors *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        pg_errors_add(err, "%s: cannot read", path);
        return NULL;
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    char chunk[65536];
    for (size_t n; (n = fread(chunk, 1, sizeof chunk, f)) > 0;) {
        pg_grow(&text, &cap, len + n + 1, 1);
        memcpy(text + len, chunk, n);
        len += n;
        text[len] = '\0';
    }
    fclose(f);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    if (!doc)
        pg_errors_add(err, "%s: not valid JSON", path);
    free(text);
    return doc;
}

static int load_side(side *s, const char *path, pg_options *o, pg_errors *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        for (size_t i = 0; i < PG_STACK_COUNT; i++) {
            char *file = pg_xasprintf("%s/stacks/%s/cdk.tf.json", path, pg_stack_names[i]);
            s->loaded[i] = read_json(file, err);
            free(file);
            if (!s->loaded[i])
                return -1;
        }
        return 0;
    }
    o->profile = path;
    s->generated = true;
    return pg_generate(&s->g, o, err);
}

static const cJSON *stack_of(const side *s, size_t i)
{
    return s->generated ? s->g.out.stacks[i] : s->loaded[i];
}

static void free_side(side *s)
{
    if (s->generated)
        pg_generation_free(&s->g);
    for (size_t i = 0; i < PG_STACK_COUNT; i++)
        cJSON_Delete(s->loaded[i]);
}

static size_t print_stack(const char *name, const pg_diff *d)
{
    static const char marks[] = {'+', '-', '~', '!'};
    size_t counts[4] = {0}, dangerous = 0;
    for (size_t i = 0; i < d->count; i++)
        counts[d->changes[i].kind]++;
    printf("stack %s: %zu added, %zu changed, %zu replaced, %zu removed\n", name, counts[PG_ADDED],
           counts[PG_CHANGED], counts[PG_REPLACED], counts[PG_REMOVED]);
    for (size_t i = 0; i < d->count; i++) {
        const pg_change *c = &d->changes[i];
        bool destroys = c->kind == PG_REMOVED || c->kind == PG_REPLACED;
        printf("  %c %s", marks[c->kind], c->address);
        if (c->detail)
            printf(": %s", c->detail);
        if (destroys && (c->stateful || c->protected_)) {
            printf("  [%s%s%s]", c->stateful ? "stateful" : "", c->stateful && c->protected_ ? ", " : "",
                   c->protected_ ? "protected" : "");
            dangerous++;
        }
        printf("\n");
        if (c->advice)
            printf("      first: %s\n", c->advice);
        else if (destroys && c->protected_)
            printf("      first: its protection is in the old block only; Terraform destroys it "
                   "anyway unless you keep it with 'terraform state rm'\n");
    }
    return dangerous;
}

int pg_cmd_diff(int argc, char **argv)
{
    static const struct option longs[] = {
        {"set", required_argument, NULL, 's'},
        {"plugin-path", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char **sets = NULL, **dirs = NULL;
    size_t set_n = 0, set_cap = 0, dir_n = 0, dir_cap = 0;
    optind = 1;
    opterr = 0;
    int rc = -1;
    for (int c; rc < 0 && (c = getopt_long(argc, argv, ":s:P:h", longs, NULL)) != -1;) {
        if (c == 's') {
            pg_grow(&sets, &set_cap, set_n + 1, sizeof *sets);
            sets[set_n++] = optarg;
        } else if (c == 'P') {
            pg_grow(&dirs, &dir_cap, dir_n + 1, sizeof *dirs);
            dirs[dir_n++] = optarg;
        } else if (c == 'h') {
            fputs(diff_usage, stdout);
            rc = 0;
        } else {
            fprintf(stderr, "paygen: bad option '%s'\n%s", argv[optind - 1], diff_usage);
            rc = 2;
        }
    }
    if (rc < 0 && argc - optind != 2) {
        fprintf(stderr, "paygen: diff needs FROM and TO\n%s", diff_usage);
        rc = 2;
    }
    if (rc >= 0) {
        free(sets);
        free(dirs);
        return rc;
    }
    pg_options o = {.sets = sets, .set_count = set_n, .plugin_dirs = dirs, .plugin_dir_count = dir_n};
    pg_errors err = {0};
    side from = {0}, to = {0};
    const char *from_path = argv[optind], *to_path = argv[optind + 1];
    if (load_side(&from, from_path, &o, &err) == 0 && load_side(&to, to_path, &o, &err) == 0) {
        printf("paygen diff: %s -> %s\n", from_path, to_path);
        size_t dangerous = 0;
        for (size_t i = 0; i < PG_STACK_COUNT; i++) {
            pg_diff d = {0};
            pg_diff_stack(&d, stack_of(&from, i), stack_of(&to, i));
            dangerous += print_stack(pg_stack_names[i], &d);
            pg_diff_free(&d);
        }
        if (dangerous)
            printf("verdict: UNSAFE: %zu stateful or protected resource%s would be destroyed; do the "
                   "'first:' steps before applying\n",
                   dangerous, dangerous == 1 ? "" : "s");
        else
            printf("verdict: safe: no stateful or protected resource is destroyed or replaced\n");
        rc = dangerous ? 1 : 0;
    } else {
        for (size_t i = 0; i < err.count; i++)
            fprintf(stderr, "paygen: %s\n", err.messages[i]);
        rc = 2;
    }
    pg_errors_free(&err);
    free_side(&from);
    free_side(&to);
    free(sets);
    free(dirs);
    return rc;
}
