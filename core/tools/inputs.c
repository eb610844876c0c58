/* SPDX-License-Identifier: Apache-2.0 */
/* inputs.c - finding and parsing generated documents. */
#include "inputs.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "schema.h"

cJSON *pg_parse_json_file(const char *file, const char *text, pg_errors *err)
{
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithOpts(text, &end, true);
    if (doc)
        return doc;
    size_t line = 1, col = 1;
    for (const char *p = text; end && p < end && *p; p++) {
        if (*p == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    pg_errors_add(err, "%s:%zu:%zu: not valid JSON", file, line, col);
    return NULL;
}

static cJSON *load(const char *file, pg_errors *err)
{
    char *text = pg_read_text(file, err);
    if (!text)
        return NULL;
    cJSON *doc = pg_parse_json_file(file, text, err);
    free(text);
    return doc;
}

static int manifest_protection(const cJSON *manifest)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(manifest, "profile"),
                                                      "protection");
    return cJSON_IsBool(p) ? cJSON_IsTrue(p) : -1;
}

static cJSON *manifest_waivers(const cJSON *manifest)
{
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(manifest, "profile"),
                                                      "waivers");
    return cJSON_IsArray(w) ? cJSON_Duplicate(w, true) : NULL;
}

static char *stack_of(const char *file)
{
    const char *slash = strrchr(file, '/');
    if (!slash)
        return pg_xstrdup("stack");
    const char *start = slash;
    while (start > file && start[-1] != '/')
        start--;
    return start == slash ? pg_xstrdup("stack") : pg_xasprintf("%.*s", (int)(slash - start), start);
}

static int add_file(pg_inputs *in, const char *file, const char *stack, const cJSON *manifest,
                    pg_errors *err)
{
    cJSON *doc = load(file, err);
    if (!doc)
        return -1;
    pg_grow(&in->items, &in->cap, in->count + 1, sizeof *in->items);
    in->items[in->count++] = (pg_input_doc){pg_xstrdup(file), stack ? pg_xstrdup(stack) : stack_of(file), doc,
                                            manifest_protection(manifest), manifest_waivers(manifest)};
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_dir(pg_inputs *in, const char *dir, pg_errors *err)
{
    char *mpath = pg_xasprintf("%s/manifest.json", dir);
    struct stat st;
    cJSON *manifest = stat(mpath, &st) == 0 ? load(mpath, err) : NULL;
    int rc = 0;
    size_t before = in->count;
    const cJSON *stacks = cJSON_GetObjectItemCaseSensitive(manifest, "stacks");
    const cJSON *s;
    cJSON_ArrayForEach(s, stacks)
    {
        const cJSON *rel = cJSON_GetObjectItemCaseSensitive(s, "synthesizedStackPath");
        char *file = cJSON_IsString(rel) ? pg_xasprintf("%s/%s", dir, rel->valuestring)
                                         : pg_xasprintf("%s/stacks/%s/cdk.tf.json", dir, s->string);
        rc |= add_file(in, file, s->string, manifest, err);
        free(file);
    }
    if (!manifest) {
        char *sdir = pg_xasprintf("%s/stacks", dir);
        DIR *d = opendir(sdir);
        char **names = NULL;
        size_t n = 0, cap = 0;
        for (struct dirent *e; d && (e = readdir(d));) {
            if (e->d_name[0] == '.')
                continue;
            pg_grow(&names, &cap, n + 1, sizeof *names);
            names[n++] = pg_xstrdup(e->d_name);
        }
        if (d)
            closedir(d);
        if (n)
            pg_sort(names, n, sizeof *names, cmp_str);
        for (size_t i = 0; i < n; i++) {
            char *file = pg_xasprintf("%s/%s/cdk.tf.json", sdir, names[i]);
            if (stat(file, &st) == 0)
                rc |= add_file(in, file, names[i], NULL, err);
            free(file);
            free(names[i]);
        }
        free(names);
        free(sdir);
    }
    if (rc == 0 && in->count == before) {
        pg_errors_add(err, "%s: no manifest.json and no stacks/*/cdk.tf.json", dir);
        rc = -1;
    }
    cJSON_Delete(manifest);
    free(mpath);
    return rc ? -1 : 0;
}

int pg_inputs_add(pg_inputs *in, const char *path, pg_errors *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        pg_errors_add(err, "%s: no such file or directory", path);
        return -1;
    }
    if (S_ISDIR(st.st_mode))
        return add_dir(in, path, err);
    /* a stack file of an output directory: OUT/stacks/NAME/cdk.tf.json */
    const char *slash = strrchr(path, '/');
    char *mpath = slash ? pg_xasprintf("%.*s/../../manifest.json", (int)(slash - path), path)
                        : pg_xstrdup("../../manifest.json");
    cJSON *manifest = NULL;
    if (stat(mpath, &st) == 0) {
        pg_errors ignored = {0};
        manifest = load(mpath, &ignored);
        pg_errors_free(&ignored);
    }
    int rc = add_file(in, path, NULL, manifest, err);
    cJSON_Delete(manifest);
    free(mpath);
    return rc;
}

void pg_inputs_free(pg_inputs *in)
{
    for (size_t i = 0; i < in->count; i++) {
        free(in->items[i].file);
        free(in->items[i].stack);
        cJSON_Delete(in->items[i].doc);
        cJSON_Delete(in->items[i].waivers);
    }
    free(in->items);
    in->items = NULL;
    in->count = in->cap = 0;
}
