/* SPDX-License-Identifier: Apache-2.0 */
/* Function packages (core/engine/package.c): the stored ZIP, read back
 * field by field, what it leaves out, its determinism, its hash, the file
 * written with the stacks, and the errors of pg_function_package(). */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "sha256.h"

static void write_text(const char *dir, const char *name, const char *text)
{
    char *path = pg_xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
    free(path);
}

static void make_dir(const char *dir, const char *name)
{
    char *path = pg_xasprintf("%s/%s", dir, name);
    CU_ASSERT_EQUAL(mkdir(path, 0755), 0);
    free(path);
}

/* A function tree with code, and what a package must leave out. */
static const char *sample_tree(void)
{
    const char *dir = th_scratch("package-tree");
    write_text(dir, "app.py", "def handler(event, context):\n    return 1\n");
    write_text(dir, "README", "notes\n");
    make_dir(dir, "lib");
    write_text(dir, "lib/util.py", "X = 1\n");
    write_text(dir, "lib/test_util.py", "left out\n");
    make_dir(dir, "tests");
    write_text(dir, "tests/test_app.py", "left out\n");
    make_dir(dir, "__pycache__");
    write_text(dir, "__pycache__/app.cpython-312.pyc", "left out\n");
    write_text(dir, ".hidden", "left out\n");
    write_text(dir, "app.pyc", "left out\n");
    return dir;
}

static uint32_t u16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t u32(const unsigned char *p) { return u16(p) | u16(p + 2) << 16; }

/* The names of the central directory, '\n'-joined, after checking every
 * fixed field of every header against its local header (APPNOTE 4.3). */
static char *central_names(const unsigned char *zip, size_t size)
{
    CU_ASSERT_FATAL(size >= 22);
    const unsigned char *end = zip + size - 22;
    CU_ASSERT_EQUAL_FATAL(u32(end), 0x06054b50u);
    uint32_t count = u16(end + 10), csize = u32(end + 12), coff = u32(end + 16);
    CU_ASSERT_EQUAL(u16(end + 8), count);
    CU_ASSERT_EQUAL(u16(end + 20), 0);       /* no comment */
    CU_ASSERT_EQUAL_FATAL((size_t)coff + csize, size - 22);
    char *names = pg_xcalloc(1, csize + 1);
    const unsigned char *c = zip + coff;
    for (uint32_t i = 0; i < count; i++) {
        CU_ASSERT_EQUAL_FATAL(u32(c), 0x02014b50u);
        CU_ASSERT_EQUAL(u16(c + 4), 3u << 8 | 20u); /* made by UNIX */
        CU_ASSERT_EQUAL(u16(c + 10), 0);           /* stored */
        CU_ASSERT_EQUAL(u16(c + 12), 0);           /* 00:00 */
        CU_ASSERT_EQUAL(u16(c + 14), 0x21);        /* 1980-01-01 */
        CU_ASSERT_EQUAL(u32(c + 20), u32(c + 24)); /* stored: sizes equal */
        CU_ASSERT_EQUAL(u32(c + 38), 0100644u << 16);
        uint32_t nlen = u16(c + 28), loff = u32(c + 42);
        const unsigned char *l = zip + loff;
        CU_ASSERT_EQUAL_FATAL(u32(l), 0x04034b50u);
        CU_ASSERT_EQUAL(memcmp(l + 4, c + 6, 26), 0); /* version needed .. name length, extra */
        CU_ASSERT_EQUAL(memcmp(l + 30, c + 46, nlen), 0);
        strncat(names, (const char *)c + 46, nlen);
        strcat(names, "\n");
        c += 46 + nlen + u16(c + 30) + u16(c + 32);
    }
    return names;
}

static void test_zip_lists_the_code_sorted(void)
{
    unsigned char *zip;
    size_t size;
    pg_errors err = {0};
    CU_ASSERT_EQUAL_FATAL(pg_package_zip(sample_tree(), &zip, &size, &err), 0);
    char *names = central_names(zip, size);
    CU_ASSERT_STRING_EQUAL(names, "README\napp.py\nlib/util.py\n");
    free(names);
    free(zip);
    pg_errors_free(&err);
}

/* unzip, when there is one, reads the archive and finds every CRC right. */
static void test_unzip_accepts_it(void)
{
    if (system("command -v unzip >/dev/null 2>&1") != 0)
        return;
    unsigned char *zip;
    size_t size;
    pg_errors err = {0};
    CU_ASSERT_EQUAL_FATAL(pg_package_zip(sample_tree(), &zip, &size, &err), 0);
    const char *dir = th_scratch("package-unzip");
    char *path = pg_xasprintf("%s/f.zip", dir);
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(fwrite(zip, 1, size, f), size);
    fclose(f);
    char *cmd = pg_xasprintf("unzip -tq '%s' >/dev/null && cd '%s' && unzip -q f.zip && "
                             "test \"$(cat lib/util.py)\" = 'X = 1'", path, dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
    free(cmd);
    free(path);
    free(zip);
}

static void test_same_files_same_bytes(void)
{
    unsigned char *a, *b;
    size_t na, nb;
    pg_errors err = {0};
    const char *dir = sample_tree();
    CU_ASSERT_EQUAL_FATAL(pg_package_zip(dir, &a, &na, &err), 0);
    /* other times, another mode: the archive does not record them */
    char *file = pg_xasprintf("%s/app.py", dir);
    CU_ASSERT_EQUAL(chmod(file, 0700), 0);
    struct timespec times[2] = {{.tv_sec = 12345}, {.tv_sec = 12345}};
    CU_ASSERT_EQUAL(utimensat(AT_FDCWD, file, times, 0), 0);
    free(file);
    CU_ASSERT_EQUAL_FATAL(pg_package_zip(dir, &b, &nb, &err), 0);
    CU_ASSERT_EQUAL_FATAL(na, nb);
    CU_ASSERT_EQUAL(memcmp(a, b, na), 0);
    /* a changed byte changes the hash */
    char *ha = pg_package_hash(a, na);
    write_text(dir, "app.py", "def handler(event, context):\n    return 2\n");
    free(b);
    CU_ASSERT_EQUAL_FATAL(pg_package_zip(dir, &b, &nb, &err), 0);
    char *hb = pg_package_hash(b, nb);
    CU_ASSERT_STRING_NOT_EQUAL(ha, hb);
    free(ha);
    free(hb);
    free(a);
    free(b);
    pg_errors_free(&err);
}

/* base64 of the raw digest, as Terraform's filebase64sha256() */
static void test_hash_is_base64_sha256(void)
{
    char *empty = pg_package_hash((const unsigned char *)"", 0);
    CU_ASSERT_STRING_EQUAL(empty, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    char *abc = pg_package_hash((const unsigned char *)"abc", 3);
    CU_ASSERT_STRING_EQUAL(abc, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
    free(empty);
    free(abc);
}

static void test_links_and_empty_trees_refused(void)
{
    unsigned char *zip;
    size_t size;
    pg_errors err = {0};
    const char *dir = sample_tree();
    char *link = pg_xasprintf("%s/lib/secrets.py", dir);
    CU_ASSERT_EQUAL(symlink("/etc/passwd", link), 0);
    CU_ASSERT_EQUAL(pg_package_zip(dir, &zip, &size, &err), -1);
    CU_ASSERT_PTR_NULL(zip);
    CU_ASSERT_TRUE(th_errors_have(&err, "lib/secrets.py: not a regular file or directory (a link?)"));
    free(link);
    pg_errors_free(&err);

    dir = th_scratch("package-empty");
    make_dir(dir, "tests");
    write_text(dir, "tests/test_app.py", "only tests\n");
    CU_ASSERT_EQUAL(pg_package_zip(dir, &zip, &size, &err), -1);
    CU_ASSERT_TRUE(th_errors_have(&err, "no files to package"));
    pg_errors_free(&err);
}

/* ------------------------------------------------ pg_function_package() */

static const char *wanted;
static pg_package got;

static int packager(const pg_ctx *ctx, pg_out *out)
{
    (void)ctx;
    return pg_function_package(out, wanted, &got);
}

TH_PLUGIN(packager_plugin, "packager", NULL, NULL, NULL, 0, packager);

static th_run *package_run(const char *name)
{
    wanted = name;
    got = (pg_package){0};
    const pg_plugin *plugins[] = {&packager_plugin};
    return th_core_only(NULL, plugins, 1);
}

static unsigned char *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *data = NULL;
    size_t cap = 0, n = 0;
    for (size_t k; pg_grow(&data, &cap, n + 4096, 1), (k = fread(data + n, 1, 4096, f)) > 0;)
        n += k;
    fclose(f);
    *size = n;
    return data;
}

/* The shipped phase reporter: referenced by path.module, hashed, and
 * written beside cdk.tf.json with exactly the hashed bytes; a second run
 * writes the same bytes. */
static void test_written_with_the_stack(void)
{
    unsigned char *first = NULL;
    size_t first_size = 0;
    for (int round = 0; round < 2; round++) {
        th_run *r = package_run("phase_reporter");
        TH_ASSERT_OK(r);
        CU_ASSERT_STRING_EQUAL(got.filename, "${path.module}/functions/phase_reporter.zip");
        const char *dir = th_scratch(round ? "package-out-2" : "package-out-1");
        CU_ASSERT_EQUAL_FATAL(pg_generation_write(&r->g, dir, &r->err), 0);
        char *path = pg_xasprintf("%s/stacks/payment/functions/phase_reporter.zip", dir);
        size_t size = 0;
        unsigned char *zip = read_all(path, &size);
        CU_ASSERT_PTR_NOT_NULL_FATAL(zip);
        char *hash = pg_package_hash(zip, size);
        CU_ASSERT_STRING_EQUAL(hash, got.hash);
        char *names = central_names(zip, size);
        CU_ASSERT_STRING_EQUAL(names, "app.py\n");
        free(names);
        struct stat st;
        CU_ASSERT_EQUAL(stat(path, &st), 0);
        CU_ASSERT_EQUAL(st.st_mode & 0777, 0644);
        if (round == 0) {
            first = zip;
            first_size = size;
        } else {
            CU_ASSERT_EQUAL(size, first_size);
            CU_ASSERT_EQUAL(memcmp(zip, first, size), 0);
            free(zip);
        }
        free(hash);
        free(path);
        th_free(r);
    }
    free(first);
}

/* The package goes through the writer's checks: a directory where the zip
 * goes, or a link for functions/, fails the write and leaves the previous
 * output byte-identical. */
static void test_refused_target_leaves_the_output(void)
{
    th_run *r = package_run("phase_reporter");
    TH_ASSERT_OK(r);
    char *dir = pg_xstrdup(th_scratch("package-refused")); /* th_scratch's buffer is reused */
    CU_ASSERT_EQUAL_FATAL(pg_generation_write(&r->g, dir, &r->err), 0);
    char *zip = pg_xasprintf("%s/stacks/payment/functions/phase_reporter.zip", dir);
    char *functions = pg_xasprintf("%s/stacks/payment/functions", dir);
    char *stack = th_slurp(dir, "stacks/payment/cdk.tf.json");
    char *manifest = th_slurp(dir, "manifest.json");
    CU_ASSERT_EQUAL(unlink(zip), 0);
    CU_ASSERT_EQUAL(mkdir(zip, 0755), 0);
    pg_errors err = {0};
    CU_ASSERT_EQUAL(pg_generation_write(&r->g, dir, &err), -1);
    CU_ASSERT_TRUE(th_errors_have(&err, "functions/phase_reporter.zip: exists and is not a regular file"));
    pg_errors_free(&err);

    CU_ASSERT_EQUAL(rmdir(zip), 0);
    CU_ASSERT_EQUAL(rmdir(functions), 0);
    char *elsewhere = pg_xasprintf("%s/elsewhere", th_scratch("package-elsewhere"));
    CU_ASSERT_EQUAL(mkdir(elsewhere, 0755), 0);
    CU_ASSERT_EQUAL(symlink(elsewhere, functions), 0);
    CU_ASSERT_EQUAL(pg_generation_write(&r->g, dir, &err), -1);
    CU_ASSERT_TRUE(err.count > 0);
    pg_errors_free(&err);
    char *after = th_slurp(dir, "stacks/payment/cdk.tf.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(after);
    CU_ASSERT_STRING_EQUAL(after, stack);
    free(after);
    after = th_slurp(dir, "manifest.json");
    CU_ASSERT_STRING_EQUAL(after, manifest);
    free(after);
    char *leaked = pg_xasprintf("%s/phase_reporter.zip", elsewhere);
    CU_ASSERT_NOT_EQUAL(access(leaked, F_OK), 0); /* nothing written through the link */
    free(leaked);
    free(elsewhere);
    free(stack);
    free(manifest);
    free(functions);
    free(zip);
    free(dir);
    th_free(r);
}

static void test_missing_function_is_an_error(void)
{
    th_run *r = package_run("no_such_function");
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    TH_ASSERT_ERROR(r, "function package 'no_such_function': ");
    TH_ASSERT_ERROR(r, "/no_such_function is not a directory: the function is not installed");
    CU_ASSERT_STRING_EQUAL(got.filename, "");
    th_free(r);

    r = package_run("../profiles");
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    TH_ASSERT_ERROR(r, "function package '../profiles': a name is 1-64 of a-z 0-9 _ -");
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"zip lists the code, sorted", test_zip_lists_the_code_sorted},
        {"unzip accepts it", test_unzip_accepts_it},
        {"same files, same bytes", test_same_files_same_bytes},
        {"hash is base64 SHA-256", test_hash_is_base64_sha256},
        {"links and empty trees refused", test_links_and_empty_trees_refused},
        {"written with the stack", test_written_with_the_stack},
        {"refused target leaves the output", test_refused_target_leaves_the_output},
        {"missing function is an error", test_missing_function_is_an_error},
        CU_TEST_INFO_NULL,
    };
    return th_main("package", tests);
}
