/* SPDX-License-Identifier: Apache-2.0 */
/* Profile input that arrives in a merge request: extends: stays inside the
 * repository, values are UTF-8 without NUL, and messages show values quoted
 * with control characters escaped. Bad files are in tests/data/profiles-bad
 * (run by tests/faults/run.sh); --set cases in tests/faults/profile_input.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "profile.h"

static void test_shown_quotes_and_escapes(void)
{
    char buf[PG_SHOWN_SIZE];
    CU_ASSERT_STRING_EQUAL(pg_shown(buf, "prod"), "'prod'");
    CU_ASSERT_STRING_EQUAL(pg_shown(buf, "a\nb\tc\rd"), "'a\\nb\\tc\\rd'");
    CU_ASSERT_STRING_EQUAL(pg_shown(buf, "\x1b[2J\x07\x7f"), "'\\x1b[2J\\x07\\x7f'");
    CU_ASSERT_STRING_EQUAL(pg_shown(buf, "it's a\\b"), "'it\\'s a\\\\b'");
    /* UTF-8 stays; C1 controls, bidirectional overrides and bytes that are
     * no character do not */
    CU_ASSERT_STRING_EQUAL(pg_shown(buf, "caf\xc3\xa9 \xe2\x82\xac"), "'caf\xc3\xa9 \xe2\x82\xac'");
    CU_ASSERT_STRING_EQUAL(pg_shown(buf, "\xc2\x9b" "31m"), "'\\u009b31m'");
    CU_ASSERT_STRING_EQUAL(pg_shown(buf, "txt.\xe2\x80\xae" "exe"), "'txt.\\u202eexe'");
    CU_ASSERT_STRING_EQUAL(pg_shown(buf, "a\xff\xc3"), "'a\\xff\\xc3'");
    /* cut after 80 characters, however long each one's escape */
    char long_text[200], want[200];
    memset(long_text, 'x', 150);
    long_text[150] = '\0';
    snprintf(want, sizeof want, "'%.80s'...", long_text);
    CU_ASSERT_STRING_EQUAL(pg_shown(buf, long_text), want);
    memset(long_text, '\x1b', 150);
    CU_ASSERT_EQUAL(strlen(pg_shown(buf, long_text)), 2 + 80 * 4 + 3);
    char wide[4 * 100 + 1] = "";
    for (int i = 0; i < 100; i++)
        strcat(wide, "\xe2\x80\xae"); /* the longest escape: \u202e */
    CU_ASSERT_EQUAL(strlen(pg_shown(buf, wide)), 2 + 80 * 6 + 3);
}

static void test_utf8_validity(void)
{
    size_t bad = 99;
    CU_ASSERT_TRUE(pg_utf8_valid("caf\xc3\xa9 \xf0\x9f\x92\xb3", 10, &bad));
    CU_ASSERT_FALSE(pg_utf8_valid("ab\xff", 3, &bad));
    CU_ASSERT_EQUAL(bad, 2);
    CU_ASSERT_FALSE(pg_utf8_valid("\xc0\xaf", 2, &bad));         /* overlong '/' */
    CU_ASSERT_FALSE(pg_utf8_valid("\xed\xa0\x80", 3, &bad));     /* a surrogate */
    CU_ASSERT_FALSE(pg_utf8_valid("\xf4\x90\x80\x80", 4, &bad)); /* past U+10FFFF */
    CU_ASSERT_FALSE(pg_utf8_valid("x\xe2\x82", 3, &bad));        /* cut short */
    CU_ASSERT_EQUAL(bad, 1);
}

static void set_fails(const char *assignment, const char *message)
{
    pg_profile p = {0};
    pg_errors err = {0};
    CU_ASSERT_EQUAL(pg_profile_set(&p, assignment, &err), -1);
    CU_ASSERT_EQUAL_FATAL(err.count, 1);
    if (strcmp(err.messages[0], message))
        fprintf(stderr, "\n  got: %s\n  want: %s\n", err.messages[0], message);
    CU_ASSERT_STRING_EQUAL(err.messages[0], message);
    pg_errors_free(&err);
    pg_profile_free(&p);
}

static void test_set_refuses_bad_text(void)
{
    set_fails("owner=caf\xe9", "--set 'owner=caf\\xe9': not valid UTF-8 (byte 10)");
    set_fails("owner=\xed\xa0\x80", "--set 'owner=\\xed\\xa0\\x80': not valid UTF-8 (byte 7)");
    set_fails("no\nvalue", "--set 'no\\nvalue': expected KEY=VALUE");
    /* a control character is refused where the key's own check applies,
     * and shown escaped there (tests/faults/profile_input.sh) */
    const char *sets[] = {"suffix=ab\x1b]0;x\x07", NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_ERROR(r, "--set: suffix 'ab\\x1b]0;x\\x07' must be 3-8 lowercase letters or digits");
    th_free(r);
}

/* ------------------------------------------------------------- extends: */

static char root[4096];

static void put(const char *relative, const char *text)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", root, relative);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

static void in(const char *relative, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", root, relative);
}

/* Loads root/relative; the first error when it fails, else "". */
static char *load(const char *relative, bool allow_outside)
{
    char path[8192];
    in(relative, path, sizeof path);
    pg_profile p = {.allow_outside = allow_outside};
    pg_errors err = {0};
    int rc = pg_profile_load(&p, path, &err);
    char *first = pg_xstrdup(rc ? (err.count ? err.messages[0] : "failed without a message") : "");
    pg_errors_free(&err);
    pg_profile_free(&p);
    return first;
}

static void expect_load(const char *relative, bool allow_outside, const char *error)
{
    char *got = load(relative, allow_outside);
    bool ok = *error ? strstr(got, error) != NULL : !*got;
    if (!ok)
        fprintf(stderr, "\n  %s: got \"%s\", want \"%s\"\n", relative, got, error);
    CU_ASSERT_TRUE(ok);
    free(got);
}

/* A repository (a .git entry) with a profile in a folder and a file beside
 * the repository. */
static void make_tree(bool git_file)
{
    snprintf(root, sizeof root, "%s", th_scratch(git_file ? "worktree" : "repository"));
    char path[8192];
    in("repo", path, sizeof path);
    CU_ASSERT_EQUAL_FATAL(mkdir(path, 0755), 0);
    in("repo/profiles", path, sizeof path);
    CU_ASSERT_EQUAL_FATAL(mkdir(path, 0755), 0);
    if (git_file) {
        put("repo/.git", "gitdir: /somewhere/else\n");
    } else {
        in("repo/.git", path, sizeof path);
        CU_ASSERT_EQUAL_FATAL(mkdir(path, 0755), 0);
    }
    put("repo/base.yaml", "owner: platform-team\n");
    put("outside.yaml", "owner: someone-else\n");
    char target[8192];
    in("outside.yaml", target, sizeof target);
    in("repo/profiles/link.yaml", path, sizeof path);
    CU_ASSERT_EQUAL_FATAL(symlink(target, path), 0);
    put("repo/profiles/up.yaml", "extends: ../base.yaml\n");
    put("repo/profiles/escape.yaml", "extends: ../../outside.yaml\n");
    put("repo/profiles/via-link.yaml", "extends: link.yaml\n");
    char text[8400];
    snprintf(text, sizeof text, "extends: %s\n", target);
    put("repo/profiles/absolute.yaml", text);
    put("repo/profiles/escape-nl.yaml", "extends: \"../x\\n.yaml\"\n");
}

static void test_extends_stays_in_the_repository(void)
{
    for (int git_file = 0; git_file < 2; git_file++) {
        make_tree(git_file);
        expect_load("repo/profiles/up.yaml", false, "");
        expect_load("repo/profiles/escape.yaml", false,
                    "escape.yaml:1:10: extends '../../outside.yaml' leaves ");
        expect_load("repo/profiles/escape.yaml", false, "/repo', the root of these profiles");
        expect_load("repo/profiles/via-link.yaml", false, "extends 'link.yaml' leaves ");
        expect_load("repo/profiles/absolute.yaml", false, "is an absolute path");
        expect_load("repo/profiles/escape-nl.yaml", false,
                    "extends '../x\\n.yaml': a file name has no control characters");
        /* the override, for a shared base profile */
        expect_load("repo/profiles/escape.yaml", true, "");
        expect_load("repo/profiles/via-link.yaml", true, "");
        expect_load("repo/profiles/absolute.yaml", true, "");
    }
}

/* Outside a git work tree, the nearest .paygen-root, else the profile's own
 * directory, is the root. */
static void test_extends_without_git(void)
{
    char tmpl[] = "/tmp/paygen-nogit.XXXXXX";
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpl));
    snprintf(root, sizeof root, "%s", tmpl);
    char path[8192];
    in("profiles", path, sizeof path);
    CU_ASSERT_EQUAL_FATAL(mkdir(path, 0755), 0);
    put("base.yaml", "owner: platform-team\n");
    put("profiles/base.yaml", "owner: platform-team\n");
    put("profiles/up.yaml", "extends: ../base.yaml\n");
    put("profiles/here.yaml", "extends: base.yaml\n");
    bool no_git_above = access("/tmp/.git", F_OK) != 0 && access("/.git", F_OK) != 0;
    if (no_git_above) {
        expect_load("profiles/up.yaml", false, "extends '../base.yaml' leaves ");
        expect_load("profiles/up.yaml", false, "/profiles', the root of these profiles");
    }
    expect_load("profiles/here.yaml", false, "");
    /* a .paygen-root file marks the root of a tree of profiles, as in
     * /usr/share/paygen/profiles: examples/ may extend ../base.yaml */
    in("profiles/examples", path, sizeof path);
    CU_ASSERT_EQUAL_FATAL(mkdir(path, 0755), 0);
    put("profiles/.paygen-root", "");
    put("profiles/examples/rehearsal.yaml", "extends: ../base.yaml\n");
    put("profiles/examples/escape.yaml", "extends: ../../base.yaml\n");
    expect_load("profiles/examples/rehearsal.yaml", false, "");
    if (no_git_above)
        expect_load("profiles/examples/escape.yaml", false, "/profiles', the root of these profiles");
    char cmd[8300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

/* The chain from a file that was itself extended is checked the same way. */
static void test_extends_chain_checked_at_every_step(void)
{
    make_tree(false);
    put("repo/profiles/chain.yaml", "extends: escape.yaml\n");
    expect_load("repo/profiles/chain.yaml", false, "extends '../../outside.yaml' leaves ");
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"values in messages are quoted and escaped", test_shown_quotes_and_escapes},
        {"UTF-8 validity", test_utf8_validity},
        {"--set refuses invalid UTF-8", test_set_refuses_bad_text},
        {"extends: stays in the repository", test_extends_stays_in_the_repository},
        {"extends: without a git work tree", test_extends_without_git},
        {"extends: chains are checked at every step", test_extends_chain_checked_at_every_step},
        CU_TEST_INFO_NULL,
    };
    return th_main("profile input", tests);
}
