/* SPDX-License-Identifier: Apache-2.0 */
/* ecs_checks.c - the settings rules that a range or a list of choices cannot
 * express: Fargate's CPU/memory pairs, image names, and the task bounds. */
#include "ecs.h"

#include <ctype.h>
#include <string.h>

/* Memory sizes (MiB) Fargate accepts for a CPU size: from..to by step
 * (256 CPU units are special: 512, 1024 or 2048). */
static const struct {
    long cpu, from, to, step;
} fargate_sizes[] = {
    {512, 1024, 4096, 1024},   {1024, 2048, 8192, 1024},   {2048, 4096, 16384, 1024},
    {4096, 8192, 30720, 1024}, {8192, 16384, 61440, 4096}, {16384, 32768, 122880, 8192},
};

static bool fargate_size_ok(long cpu, long memory)
{
    if (cpu == 256)
        return memory == 512 || memory == 1024 || memory == 2048;
    for (size_t i = 0; i < sizeof fargate_sizes / sizeof *fargate_sizes; i++)
        if (fargate_sizes[i].cpu == cpu)
            return memory >= fargate_sizes[i].from && memory <= fargate_sizes[i].to &&
                   (memory - fargate_sizes[i].from) % fargate_sizes[i].step == 0;
    return false;
}

static bool all_of(const char *s, const char *extra, bool lower_only)
{
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!(isdigit(c) || (islower(c) && isalpha(c)) || (!lower_only && isupper(c)) ||
              strchr(extra, c)))
            return false;
    }
    return true;
}

int ecs_check_settings(const ecs_config *cfg, pg_out *out)
{
    const char *repo = cfg->image_repository, *tag = cfg->image_tag;
    const char *digest = cfg->image_digest;
    int rc = 0;

    if (!fargate_size_ok(cfg->cpu, cfg->memory))
        rc = pg_fail(out,
                     "compute.cpu = %ld with compute.memory = %ld is not a Fargate task size "
                     "(e.g. 256/512-2048, 512/1024-4096, 1024/2048-8192, 2048/4096-16384 MiB)",
                     cfg->cpu, cfg->memory);
    /* "" takes the generated name (ecs.c). ECR: 2 to 256 characters. */
    if (*repo && (!all_of(repo, "._-/", true) || strlen(repo) < 2 || strlen(repo) > 256))
        rc = pg_fail(out, "compute.image_repository '%s' is not an ECR repository name", repo);
    /* The image_<colour> variables take it as their default, and validate it
     * by Docker's tag grammar: a letter, digit or '_' first. */
    if (!*tag)
        rc = pg_fail(out, "compute.image_tag is empty: the blue and green services would run no "
                          "image (set a tag, or compute.image_digest)");
    else if (!all_of(tag, "._-", false) || strlen(tag) > 128 || *tag == '.' || *tag == '-')
        rc = pg_fail(out, "compute.image_tag '%s' is not an image tag", tag);
    if (*digest &&
        (strncmp(digest, "sha256:", 7) || strlen(digest) != 71 || !all_of(digest + 7, "", true) ||
         strspn(digest + 7, "0123456789abcdef") != 64))
        rc = pg_fail(out, "compute.image_digest '%s' must be sha256: and 64 hex digits", digest);
    if (cfg->min_tasks > cfg->max_tasks)
        rc = pg_fail(out, "compute.min_tasks = %ld is above compute.max_tasks = %ld",
                     cfg->min_tasks, cfg->max_tasks);
    return rc;
}
