/* SPDX-License-Identifier: Apache-2.0 */
/* Writer: where output may go (not "/", the home directory or a directory
 * paygen did not write, unless forced), no link followed below the output
 * directory, modes whatever the umask, and the directories a failed run
 * made removed again. tests/faults/writer.sh covers the same through the
 * command, with injected failures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "writer.h"

static th_run *legacy(void)
{
    static th_run *r;
    if (!r)
        r = th_generate("profiles/legacy.yaml", NULL);
    return r;
}

/* Writes the legacy output into dir; 0 or -1, the errors in *err. */
static int write_to(const char *dir, unsigned flags, pg_errors *err)
{
    th_run *r = legacy();
    CU_ASSERT_EQUAL_FATAL(r->rc, 0);
    return pg_write_tree(dir, r->g.out.stacks, r->g.manifest, flags, err);
}

/* th_errors_have(), printing the errors when none contains text. */
static bool has(const pg_errors *err, const char *text)
{
    if (th_errors_have(err, text))
        return true;
    for (size_t i = 0; i < err->count; i++)
        fprintf(stderr, "  error: %s\n", err->messages[i]);
    return false;
}

static void put(const char *dir, const char *name, const char *text)
{
    char *path = pg_xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
    free(path);
}

static bool exists(const char *dir, const char *name)
{
    char *path = pg_xasprintf("%s/%s", dir, name);
    struct stat st;
    bool found = lstat(path, &st) == 0;
    free(path);
    return found;
}

static unsigned mode_of(const char *dir, const char *name)
{
    char *path = pg_xasprintf("%s/%s", dir, name);
    struct stat st;
    unsigned mode = stat(path, &st) == 0 ? (unsigned)(st.st_mode & 07777) : 0;
    free(path);
    return mode;
}

static void test_foreign_directory_refused_unless_forced(void)
{
    char *dir = pg_xstrdup(th_scratch("foreign"));
    put(dir, "README", "not paygen's\n");
    pg_errors err = {0};
    CU_ASSERT_EQUAL(write_to(dir, 0, &err), -1);
    CU_ASSERT_TRUE(has(&err, "is not empty and holds no paygen output"));
    CU_ASSERT_FALSE(exists(dir, "stacks"));
    pg_errors_free(&err);

    put(dir, "manifest.json", "{\"name\": \"a web app\"}\n");
    CU_ASSERT_EQUAL(write_to(dir, 0, &err), -1);
    CU_ASSERT_TRUE(has(&err, "holds a manifest.json that paygen did not write"));
    pg_errors_free(&err);

    CU_ASSERT_EQUAL(write_to(dir, PG_WRITE_FORCE, &err), 0);
    CU_ASSERT_TRUE(exists(dir, "README"));
    CU_ASSERT_TRUE(exists(dir, "stacks/payment/cdk.tf.json"));
    /* now it holds paygen output: written again without force */
    CU_ASSERT_EQUAL(write_to(dir, 0, &err), 0);
    pg_errors_free(&err);
    free(dir);
}

static void test_root_and_home_refused(void)
{
    pg_errors err = {0};
    CU_ASSERT_EQUAL(write_to("/", 0, &err), -1);
    CU_ASSERT_TRUE(has(&err, "/: is the root directory"));
    pg_errors_free(&err);

    char *home = pg_xstrdup(th_scratch("home"));
    char *saved = getenv("HOME") ? pg_xstrdup(getenv("HOME")) : NULL;
    setenv("HOME", home, 1);
    char *slash = pg_xasprintf("%s/", home);
    CU_ASSERT_EQUAL(write_to(slash, 0, &err), -1); /* even empty */
    CU_ASSERT_TRUE(has(&err, "is the home directory"));
    CU_ASSERT_FALSE(exists(home, "manifest.json"));
    pg_errors_free(&err);
    if (saved)
        setenv("HOME", saved, 1);
    else
        unsetenv("HOME");
    free(saved);
    free(slash);
    free(home);
}

static void test_links_below_the_output_refused(void)
{
    char *other = pg_xstrdup(th_scratch("links-other"));
    char *dir = pg_xstrdup(th_scratch("links"));
    pg_errors err = {0};
    CU_ASSERT_EQUAL(write_to(dir, 0, &err), 0);
    char *stacks = pg_xasprintf("%s/stacks", dir), *moved = pg_xasprintf("%s/moved", dir);
    CU_ASSERT_EQUAL(rename(stacks, moved), 0);
    CU_ASSERT_EQUAL(symlink(other, stacks), 0);
    CU_ASSERT_EQUAL(write_to(dir, 0, &err), -1);
    CU_ASSERT_TRUE(has(&err, "/stacks: is a symbolic link"));
    CU_ASSERT_FALSE(exists(other, "payment"));
    pg_errors_free(&err);

    char *link = pg_xasprintf("%s/link", other);
    CU_ASSERT_EQUAL(symlink(dir, link), 0);
    CU_ASSERT_EQUAL(write_to(link, 0, &err), -1);
    CU_ASSERT_TRUE(has(&err, "link: is a symbolic link"));
    pg_errors_free(&err);
    free(link);
    free(stacks);
    free(moved);
    free(dir);
    free(other);
}

static void test_modes_whatever_the_umask(void)
{
    static const char *const dirs[] = {".", "stacks", "stacks/payment", "stacks/bootstrap"};
    static const char *const files[] = {"manifest.json", "stacks/payment/cdk.tf.json",
                                        "stacks/bootstrap/cdk.tf.json"};
    char *dir = pg_xasprintf("%s/out", th_scratch("umask"));
    mode_t old = umask(077);
    pg_errors err = {0};
    CU_ASSERT_EQUAL(write_to(dir, 0, &err), 0);
    umask(old);
    for (size_t i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(mode_of(dir, dirs[i]), 0755);
    for (size_t i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(mode_of(dir, files[i]), 0644);
    pg_errors_free(&err);
    free(dir);
}

static void test_failed_run_removes_the_directories_it_made(void)
{
    char *dir = pg_xstrdup(th_scratch("made"));
    char *stacks = pg_xasprintf("%s/stacks", dir);
    CU_ASSERT_EQUAL(mkdir(stacks, 0755), 0);
    put(stacks, "bootstrap", "a file where a directory goes\n");
    pg_errors err = {0};
    CU_ASSERT_EQUAL(write_to(dir, PG_WRITE_FORCE, &err), -1);
    CU_ASSERT_TRUE(has(&err, "stacks/bootstrap: exists and is not a directory"));
    CU_ASSERT_FALSE(exists(stacks, "payment")); /* made by the run, removed */
    CU_ASSERT_TRUE(exists(stacks, "bootstrap"));
    CU_ASSERT_FALSE(exists(dir, "manifest.json"));
    pg_errors_free(&err);
    free(stacks);
    free(dir);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"a foreign directory is refused unless forced", test_foreign_directory_refused_unless_forced},
        {"/ and the home directory are refused", test_root_and_home_refused},
        {"links below the output are refused", test_links_below_the_output_refused},
        {"modes whatever the umask", test_modes_whatever_the_umask},
        {"a failed run removes the directories it made", test_failed_run_removes_the_directories_it_made},
        CU_TEST_INFO_NULL,
    };
    int rc = th_main("writer", tests);
    th_free(legacy());
    return rc;
}
